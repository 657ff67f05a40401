import { useMemo, useState } from 'preact/hooks';
import { seg } from '../api/client';
import type { Item, ItemExposure, SimilarAnswer } from '../api/types';
import { useApi } from '../api/use-api';
import { Chart } from '../charts/chart';
import { timeSeriesOption } from '../charts/time-series';
import { WhenLoaded } from '../components/loading';
import { ItemList } from '../components/reasons';
import { href } from '../routing';

const SIMILAR = 10;

function ItemDetail({ item }: { item: Item }) {
  const attributes = Object.entries(item.attributes ?? {});
  return (
    <dl class="detail">
      <div>
        <dt>Id</dt>
        <dd>{item.id}</dd>
      </div>
      {item.categories && item.categories.length > 0 && (
        <div>
          <dt>Categories</dt>
          <dd>{item.categories.join(', ')}</dd>
        </div>
      )}
      {item.tags && item.tags.length > 0 && (
        <div>
          <dt>Tags</dt>
          <dd>{item.tags.join(', ')}</dd>
        </div>
      )}
      {item.createdAt && (
        <div>
          <dt>Created</dt>
          <dd>{item.createdAt.slice(0, 10)}</dd>
        </div>
      )}
      {attributes.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{typeof v === 'string' && /^https?:\/\//.test(v) ? <a href={v} rel="noreferrer noopener" target="_blank">{v}</a> : String(v)}</dd>
        </div>
      ))}
      {item.text && (
        <div class="wide">
          <dt>Text</dt>
          <dd>{item.text}</dd>
        </div>
      )}
    </dl>
  );
}

function SimilarColumn({ itemId, by, title }: { itemId: string; by: 'collaborative' | 'text'; title: string }) {
  const similar = useApi<SimilarAnswer>(`/v1/items/${seg(itemId)}/similar?by=${by}&count=${SIMILAR}`);
  return (
    <section aria-labelledby={`similar-${by}`} data-similar={by}>
      <h3 id={`similar-${by}`}>{title}</h3>
      <WhenLoaded state={similar} what={title.toLowerCase()}>
        {(s) => <ItemList items={s.items} label={title} />}
      </WhenLoaded>
    </section>
  );
}

function ExposureChart({ exposure }: { exposure: ItemExposure }) {
  const option = useMemo(
    () =>
      timeSeriesOption(
        exposure.buckets.map((b) => b.start),
        [
          { name: 'events', values: exposure.buckets.map((b) => b.events) },
          { name: 'impressions', values: exposure.buckets.map((b) => b.impressions) },
        ],
      ),
    [exposure],
  );
  if (exposure.buckets.length === 0) return <p class="muted">No events on this item yet.</p>;
  return <Chart caption={`Events and impressions per ${exposure.bucket}`} option={option} points={exposure.buckets.length} height={220} />;
}

function ItemView({ itemId }: { itemId: string }) {
  const item = useApi<Item>(`/v1/items/${seg(itemId)}`);
  const exposure = useApi<ItemExposure>(`/v1/items/${seg(itemId)}/exposure`);
  return (
    <article aria-labelledby="item-title">
      <WhenLoaded state={item} what="the item">
        {(it) => (
          <>
            <h2 id="item-title">{it.title ?? `Item ${it.id}`}</h2>
            <ItemDetail item={it} />
          </>
        )}
      </WhenLoaded>
      <section aria-labelledby="exposure-title">
        <h3 id="exposure-title">Exposure over time</h3>
        <WhenLoaded state={exposure} what="exposure">
          {(e) => <ExposureChart exposure={e} />}
        </WhenLoaded>
      </section>
      <div class="side-by-side">
        <SimilarColumn itemId={itemId} by="collaborative" title="Similar by what people did (collaborative)" />
        <SimilarColumn itemId={itemId} by="text" title="Similar by meaning (text)" />
      </div>
    </article>
  );
}

/** Items: open an item by id; its detail, exposure over time and similar items by two signals side by side. */
export function ItemsPage({ itemId }: { itemId?: string }) {
  const [typed, setTyped] = useState(itemId ?? '');
  return (
    <>
      <h1>Items</h1>
      <form
        role="search"
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim() !== '') window.location.hash = href('items', typed.trim());
        }}
      >
        <label for="item-id">Item id</label>
        <input id="item-id" value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autocomplete="off" />
        <button type="submit">Open</button>
      </form>
      {itemId === undefined ? <p class="muted">Open an item by id, or follow an item link from a user's page.</p> : <ItemView key={itemId} itemId={itemId} />}
    </>
  );
}
