import { useEffect, useState } from 'preact/hooks';
import { UNAUTHORIZED_EVENT } from './api/client';
import { KeyDialog } from './components/key-dialog';
import { ApiPage } from './pages/api-docs';
import { EvaluationPage } from './pages/evaluation';
import { ItemsPage } from './pages/items';
import { OverviewPage } from './pages/overview';
import { TryItPage } from './pages/try-it';
import { UsersPage } from './pages/users';
import { href, PAGES, useRoute, type Route } from './routing';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'users':
      return <UsersPage userId={route.id} />;
    case 'items':
      return <ItemsPage itemId={route.id} />;
    case 'evaluation':
      return <EvaluationPage name={route.id} />;
    case 'try':
      return <TryItPage />;
    case 'api':
      return <ApiPage />;
  }
}

/** The dashboard: navigation, the page of the location hash, and the key prompt after a 401. */
export function App() {
  const route = useRoute();
  const [needKey, setNeedKey] = useState(false);
  // Bumped when a key is entered: remounts the page so every request is sent again with it.
  const [session, setSession] = useState(0);
  useEffect(() => {
    const ask = () => setNeedKey(true);
    window.addEventListener(UNAUTHORIZED_EVENT, ask);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, ask);
  }, []);
  useEffect(() => {
    const title = PAGES.find((p) => p.id === route.page)?.title ?? 'Overview';
    document.title = `${title} · Kindred`;
  }, [route.page]);
  return (
    <>
      {/* A button, not a #content link: the hash is the page's route. */}
      <button type="button" class="skip" onClick={() => document.getElementById('content')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">Kindred</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.id}>
                <a href={href(p.id)} aria-current={p.id === route.page ? 'page' : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="content" tabIndex={-1}>
        {needKey ? (
          <KeyDialog
            onSaved={() => {
              setNeedKey(false);
              setSession((s) => s + 1);
            }}
          />
        ) : (
          <Page key={`${session}:${route.page}`} route={route} />
        )}
      </main>
    </>
  );
}
