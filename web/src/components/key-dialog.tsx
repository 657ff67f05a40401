import { useState } from 'preact/hooks';
import { storeApiKey } from '../api/client';

/**
 * Asks for the API key (server.apiKeys) after a 401: kept in sessionStorage for this tab only and sent as a bearer
 * token. An admin-scoped key is needed for the dashboard's personal and operator data.
 */
export function KeyDialog({ onSaved }: { onSaved: () => void }) {
  const [key, setKey] = useState('');
  return (
    <section class="key-dialog" aria-labelledby="key-title">
      <h2 id="key-title">API key needed</h2>
      <p>This server asks for an API key. It is kept for this browser tab only (session storage) and sent with each request.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          storeApiKey(key.trim());
          onSaved();
        }}
      >
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} required />
        <button type="submit">Use this key</button>
      </form>
    </section>
  );
}
