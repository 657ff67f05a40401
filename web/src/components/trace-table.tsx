import type { ItemMoves, RecommendedItem, TraceStep } from '../api/types';
import { ms } from '../format';

/** The per-stage trace of one request: each stage's kind, time and candidates in and out. */
export function TraceTable({ trace }: { trace: TraceStep[] }) {
  return (
    <table class="trace">
      <caption>Pipeline trace: the stages that built this list</caption>
      <thead>
        <tr>
          <th scope="col">Stage</th>
          <th scope="col">Kind</th>
          <th scope="col" class="num">Time</th>
          <th scope="col" class="num">In</th>
          <th scope="col" class="num">Out</th>
          <th scope="col">Note</th>
        </tr>
      </thead>
      <tbody>
        {trace.map((s, i) => (
          <tr key={i}>
            <th scope="row">{s.stage}</th>
            <td>{s.kind}</td>
            <td class="num">{ms(s.ms)}</td>
            <td class="num">{s.candidatesIn}</td>
            <td class="num">{s.candidatesOut}</td>
            <td class={s.degraded ? 'bad' : ''}>{[s.cached ? 'from cache' : '', s.degraded ? `degraded: ${s.degraded}` : ''].filter(Boolean).join('; ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the re-rank stages did: items whose position changed between fusion and the final list. */
export function MovesTable({ moves, items }: { moves: ItemMoves[]; items: RecommendedItem[] }) {
  const moved = moves.filter((m) => m.moves.length > 0);
  const title = new Map(items.map((i) => [i.itemId, i.title ?? i.itemId]));
  if (moved.length === 0) return <p class="muted">Care stages kept the fused order of this list.</p>;
  return (
    <table class="moves">
      <caption>What care did: positions after fusion and after each re-rank stage</caption>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col" class="num">Fused</th>
          <th scope="col">Moves</th>
          <th scope="col" class="num">Final</th>
        </tr>
      </thead>
      <tbody>
        {moved.map((m) => (
          <tr key={m.itemId}>
            <th scope="row">{title.get(m.itemId) ?? m.itemId}</th>
            <td class="num">{m.fused.position}</td>
            <td>{m.moves.map((x) => `${x.stage}: ${x.from} → ${x.to}`).join('; ')}</td>
            <td class="num">{m.final}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
