import { useEffect, useState } from 'preact/hooks';
import { api, query, seg } from '../api/client';
import type { EventsPage, Item, StoredEvent } from '../api/types';
import { ErrorNote } from '../components/loading';
import { dateTime, day } from '../format';
import { href } from '../routing';

const PAGE_SIZE = 30;

/** Events grouped by UTC day, newest first (the order the API pages them in). */
function byDay(events: StoredEvent[]): [string, StoredEvent[]][] {
  const groups = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const d = day(e.timestamp);
    groups.set(d, [...(groups.get(d) ?? []), e]);
  }
  return [...groups.entries()];
}

/** The user's history as a timeline, newest first, with older pages on demand. */
export function HistoryPanel({ userId }: { userId: string }) {
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [loaded, setLoaded] = useState(false);
  const [titles, setTitles] = useState<ReadonlyMap<string, string>>(new Map());
  // Events carry item ids only: the page's titles are read once per item (a missing item keeps its id).
  const readTitles = (page: StoredEvent[]) => {
    const ids = [...new Set(page.map((e) => e.itemId))].filter((id) => !titles.has(id));
    Promise.all(ids.map((id) => api<Item>('GET', `/v1/items/${seg(id)}`).then((it) => [id, it.title ?? id] as const, () => [id, id] as const))).then((pairs) =>
      setTitles((old) => new Map([...old, ...pairs])),
    );
  };
  const load = (cursor?: string) => {
    api<EventsPage>('GET', `/v1/users/${seg(userId)}/events${query({ limit: PAGE_SIZE, cursor })}`).then(
      (page) => {
        setEvents((old) => (cursor === undefined ? page.events : [...old, ...page.events]));
        setNext(page.next);
        setLoaded(true);
        readTitles(page.events);
      },
      (e: unknown) => setError(e instanceof Error ? e : new Error(String(e))),
    );
  };
  useEffect(() => load(), [userId]);
  return (
    <section aria-labelledby="history-title">
      <h3 id="history-title">History</h3>
      {error && <ErrorNote error={error} />}
      {!loaded && !error && <p class="muted" role="status">Loading history…</p>}
      {loaded && events.length === 0 && <p class="muted">No events.</p>}
      <ol class="timeline" aria-label={`History of user ${userId}, newest first`}>
        {byDay(events).map(([d, evs]) => (
          <li key={d}>
            <h4>{d}</h4>
            <ul>
              {evs.map((e) => (
                <li key={e.id}>
                  <time dateTime={e.timestamp}>{dateTime(e.timestamp).slice(11)}</time> <span class="tag">{e.type}</span>
                  {e.value !== undefined ? ` ${e.value}` : ''} <a href={href('items', e.itemId)}>{titles.get(e.itemId) ?? `item ${e.itemId}`}</a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      {next !== undefined && (
        <button type="button" onClick={() => load(next)}>
          Older events
        </button>
      )}
    </section>
  );
}
