import type { RecommendedItem } from '../api/types';
import { decimal } from '../format';
import { href } from '../routing';

/** A ranked list of items with their scores and the reasons the engine gave (each reason's text and kind). */
export function ItemList({ items, label }: { items: RecommendedItem[]; label: string }) {
  if (items.length === 0) return <p class="muted">No items.</p>;
  return (
    <ol class="item-list" aria-label={label}>
      {items.map((it) => (
        <li key={it.itemId} data-item-id={it.itemId}>
          <div class="item-head">
            <a href={href('items', it.itemId)}>{it.title ?? it.itemId}</a>
            <span class="score" title="score">
              {decimal(it.score, 3)}
            </span>
          </div>
          {it.reasons && it.reasons.length > 0 && (
            <ul class="reasons">
              {it.reasons.map((r, i) => (
                <li key={i} class="reason">
                  <span class="tag">{r.kind}</span> {r.text}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
