import type { Interest, InterestProfile, InterestTerm } from '../api/types';
import { count, decimal, percent } from '../format';
import { href } from '../routing';

const BOOSTS = [0.5, 1, 1.5, 2, 3];

function TermSummary({ name, term }: { name: string; term: InterestTerm }) {
  return (
    <div class="term">
      <h4>{name}</h4>
      <p>
        {count(term.events)} events on {count(term.items)} items, half-life {decimal(term.halfLifeDays, 0)} days
        {term.window !== undefined ? `, last ${term.window} events` : ''}
      </p>
      <ul class="compact" aria-label={`${name}: heaviest items`}>
        {term.top.map((t) => (
          <li key={t.itemId}>
            <a href={href('items', t.itemId)}>{t.title ?? t.itemId}</a>
          </li>
        ))}
      </ul>
      {term.next && (
        <>
          <p>
            Next, as the {term.next.model} reads the latest events: <strong>{term.next.label}</strong>
          </p>
          <ul class="compact" aria-label={`${name}: predicted next items`}>
            {term.next.items.map((t) => (
              <li key={t.itemId}>
                <a href={href('items', t.itemId)}>{t.title ?? t.itemId}</a> <span class="muted">{percent(t.weight)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function driftText(drift: number | null): string {
  if (drift === null) return 'not measurable (too few events)';
  const say = drift < 0.2 ? 'recent events match the long-term taste' : drift < 0.5 ? 'recent events lean away from the long-term taste' : 'recent events differ from the long-term taste';
  return `${decimal(drift, 2)}: ${say}`;
}

/** A weight as a bar (for sighted readers) and a number (for everyone). */
function Share({ value, label }: { value: number; label: string }) {
  return (
    <span class="share">
      <span class="bar" aria-hidden="true" style={{ width: `${Math.round(Math.min(1, value) * 100)}%` }} />
      <span class="sr-only">{label} </span>
      {percent(value)}
    </span>
  );
}

function InterestRow({ interest, onChange }: { interest: Interest; onChange: (id: string, patch: { mute?: boolean; boost?: number }) => void }) {
  const boostId = `boost-${interest.id}`;
  return (
    <tr data-interest-id={interest.id} class={interest.muted ? 'muted-row' : ''}>
      <th scope="row">
        {interest.label}
        {interest.labelBy === 'llm' && <span class="tag">LLM label</span>}
        <div class="examples">{interest.items.slice(0, 3).map((i) => i.title ?? i.itemId).join(' · ')}</div>
      </th>
      <td>
        <Share value={interest.weight} label="long term" />
      </td>
      <td>
        <Share value={interest.recentWeight} label="short term" />
      </td>
      <td class="num">{interest.size}</td>
      <td>
        <button type="button" aria-pressed={interest.muted} onClick={() => onChange(interest.id, { mute: !interest.muted })}>
          {interest.muted ? 'Unmute' : 'Mute'}
          <span class="sr-only"> {interest.label}</span>
        </button>
      </td>
      <td>
        <label for={boostId} class="sr-only">
          Boost for {interest.label}
        </label>
        <select id={boostId} value={String(interest.boost)} onChange={(e) => onChange(interest.id, { boost: Number(e.currentTarget.value) })}>
          {(BOOSTS.includes(interest.boost) ? BOOSTS : [...BOOSTS, interest.boost].sort((a, b) => a - b)).map((b) => (
            <option key={b} value={String(b)}>
              ×{b}
            </option>
          ))}
        </select>
      </td>
    </tr>
  );
}

/** The interest profile: long vs short term, drift, and each interest with its weights and the user's controls. */
export function InterestPanel({ profile, onChange }: { profile: InterestProfile; onChange: (id: string, patch: { mute?: boolean; boost?: number }) => void }) {
  return (
    <>
      <p>
        Built from {count(profile.events)} events with model {profile.model.name} v{profile.model.version}; interests are clustered in the {profile.space.kind} space.
      </p>
      <p>
        <strong>Drift</strong> (short vs long term): <span data-drift>{driftText(profile.drift)}</span>
      </p>
      <div class="terms">
        <TermSummary name="Long term" term={profile.longTerm} />
        <TermSummary name="Short term" term={profile.shortTerm} />
      </div>
      {profile.interests.length === 0 ? (
        <p class="muted">No interests yet: too few events to cluster.</p>
      ) : (
        <table class="interests">
          <caption>Interests: muting one keeps its items out of this user's recommendations; a boost gives it more room</caption>
          <thead>
            <tr>
              <th scope="col">Interest</th>
              <th scope="col">Long-term weight</th>
              <th scope="col">Short-term weight</th>
              <th scope="col" class="num">Items</th>
              <th scope="col">Mute</th>
              <th scope="col">Boost</th>
            </tr>
          </thead>
          <tbody>
            {profile.interests.map((i) => (
              <InterestRow key={i.id} interest={i} onChange={onChange} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
