import { useState } from 'preact/hooks';
import { query, seg } from '../api/client';
import type { RecommendAnswer } from '../api/types';
import { useApi } from '../api/use-api';
import { WhenLoaded } from '../components/loading';
import { ItemList } from '../components/reasons';
import { TraceTable } from '../components/trace-table';

/** Try it: a free-text query answered for a chosen user (personalised) or for nobody in particular. */
export function TryItPage() {
  const [userId, setUserId] = useState('');
  const [text, setText] = useState('');
  const [asked, setAsked] = useState<{ userId: string; text: string } | undefined>();
  const path =
    asked === undefined
      ? undefined
      : asked.userId === ''
        ? `/v1/recommendations${query({ query: asked.text, count: 10 })}`
        : `/v1/users/${seg(asked.userId)}/recommendations${query({ query: asked.text, count: 10 })}`;
  const answer = useApi<RecommendAnswer>(path);
  return (
    <>
      <h1>Try it</h1>
      <p>Ask in your own words. With a user, the answer is personalised to their history and interests; without, it matches the text alone.</p>
      <form
        class="try"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim() !== '') setAsked({ userId: userId.trim(), text: text.trim() });
        }}
      >
        <label for="try-user">User id (optional)</label>
        <input id="try-user" value={userId} onInput={(e) => setUserId(e.currentTarget.value)} autocomplete="off" />
        <label for="try-query">What are you looking for?</label>
        <input id="try-query" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="e.g. a funny space adventure" required />
        <button type="submit">Recommend</button>
      </form>
      {asked && (
        <section aria-labelledby="try-results" aria-live="polite">
          <h2 id="try-results">{asked.userId === '' ? 'Results' : `Results for user ${asked.userId}`}</h2>
          <WhenLoaded state={answer} what="results">
            {(r) => (
              <>
                {r.notice && <p class="notice">{r.notice}</p>}
                <p class="muted">{r.personalised ? 'Personalised to this user.' : 'Not personalised.'}</p>
                <ItemList items={r.items} label="Results" />
                {r.trace && <TraceTable trace={r.trace} />}
              </>
            )}
          </WhenLoaded>
        </section>
      )}
    </>
  );
}
