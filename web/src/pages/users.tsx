import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';
import type { User, UsersPage } from '../api/types';
import { ErrorNote } from '../components/loading';
import { href } from '../routing';
import { UserView } from './user-view';

const PAGE_SIZE = 50;

/** Find a user by id, or pick one from the listing (paged by the API's cursor). */
function UserFinder({ current }: { current?: string }) {
  const [typed, setTyped] = useState(current ?? '');
  const [users, setUsers] = useState<User[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const loadMore = (cursor?: string) => {
    const q = cursor === undefined ? `?limit=${PAGE_SIZE}` : `?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}`;
    api<UsersPage>('GET', `/v1/users${q}`).then(
      (page) => {
        setUsers((u) => (cursor === undefined ? page.users : [...u, ...page.users]));
        setNext(page.next);
      },
      (e: unknown) => setError(e instanceof Error ? e : new Error(String(e))),
    );
  };
  useEffect(() => loadMore(), []);
  useEffect(() => setTyped(current ?? ''), [current]);
  const shown = typed.trim() === '' ? users : users.filter((u) => u.id.includes(typed.trim()));
  return (
    <aside class="finder" aria-labelledby="finder-title">
      <h2 id="finder-title">Find a user</h2>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim() !== '') window.location.hash = href('users', typed.trim());
        }}
      >
        <label for="user-id">User id</label>
        <div class="row">
          <input id="user-id" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} placeholder="e.g. 42" autocomplete="off" />
          <button type="submit">Open</button>
        </div>
      </form>
      {error && <ErrorNote error={error} />}
      <nav aria-label="Users">
        <ul class="user-list">
          {shown.map((u) => (
            <li key={u.id}>
              <a href={href('users', u.id)} aria-current={u.id === current ? 'page' : undefined}>
                {u.id}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {next !== undefined && (
        <button type="button" onClick={() => loadMore(next)}>
          More users
        </button>
      )}
    </aside>
  );
}

/** Users: a finder beside the chosen user's profile, recommendations and history. */
export function UsersPage({ userId }: { userId?: string }) {
  return (
    <>
      <h1>Users</h1>
      <div class="split">
        <UserFinder current={userId} />
        <div class="main-column">{userId === undefined ? <p class="muted">Choose a user to see their interests, recommendations and history.</p> : <UserView key={userId} userId={userId} />}</div>
      </div>
    </>
  );
}
