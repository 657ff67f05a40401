import { useEffect, useState } from 'preact/hooks';
import { query, seg } from '../api/client';
import type { RecommendAnswer, Scenario } from '../api/types';
import { useApi } from '../api/use-api';
import { CareControls, type CareChoice } from '../components/care-controls';
import { WhenLoaded } from '../components/loading';
import { ItemList } from '../components/reasons';
import { MovesTable, TraceTable } from '../components/trace-table';
import { useDebounced } from '../debounce';

const COUNT = 10;

/** The user's recommendations with reasons, re-run live as care settings change; the trace and care's moves below. */
export function RecommendationsPanel({ userId, round }: { userId: string; round: number }) {
  const [care, setCare] = useState<CareChoice>({});
  const settled = useDebounced(care, 200);
  const scenarios = useApi<{ scenarios: Scenario[] }>('/v1/scenarios');
  const recs = useApi<RecommendAnswer>(`/v1/users/${seg(userId)}/recommendations${query({ count: COUNT, moves: true, ...settled })}`);
  // A mute or boost changed the profile: ask again with the same settings.
  const { reload } = recs;
  useEffect(() => {
    if (round > 0) reload();
  }, [round, reload]);
  return (
    <section aria-labelledby="recs-title">
      <h3 id="recs-title">Recommendations</h3>
      <CareControls value={care} onChange={setCare} scenarios={scenarios.data?.scenarios ?? []} />
      <div aria-live="polite" aria-busy={recs.loading} class={recs.loading ? 'stale' : ''}>
        <WhenLoaded state={recs} what="recommendations">
          {(r) => (
            <>
              {r.notice && <p class="notice">{r.notice}</p>}
              <p class="muted">
                {r.personalised === false ? 'Not personalised (too little history): popular items.' : 'Personalised'}
                {r.model ? ` · model ${r.model.name} v${r.model.version}` : ''}
              </p>
              <ItemList items={r.items} label={`Recommendations for user ${userId}`} />
              {r.trace && <TraceTable trace={r.trace} />}
              {r.moves && <MovesTable moves={r.moves} items={r.items} />}
            </>
          )}
        </WhenLoaded>
      </div>
    </section>
  );
}
