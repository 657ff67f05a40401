import { useMemo } from 'preact/hooks';
import type { EventTimeline, ModelVersion, ModelsAnswer, ProviderHealth, ServingStats, StatusAnswer } from '../api/types';
import { useApi } from '../api/use-api';
import { Chart } from '../charts/chart';
import { timeSeriesOption, typesOf } from '../charts/time-series';
import { WhenLoaded } from '../components/loading';
import { bytes, count, dateTime, day, decimal, ms } from '../format';

function Counts({ status }: { status: StatusAnswer }) {
  const cells: [string, number][] = [
    ['Users', status.counts.users],
    ['Items', status.counts.items],
    ['Events', status.counts.events],
  ];
  return (
    <dl class="counts">
      {cells.map(([name, n]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd data-count={name.toLowerCase()}>{count(n)}</dd>
        </div>
      ))}
      <div>
        <dt>Served model</dt>
        <dd>{status.model ? `${status.model.name} v${status.model.version}` : 'none trained yet'}</dd>
      </div>
    </dl>
  );
}

function EventsChart({ timeline }: { timeline: EventTimeline }) {
  const option = useMemo(() => {
    const types = typesOf(timeline.buckets);
    return timeSeriesOption(
      timeline.buckets.map((b) => b.start),
      types.map((t) => ({ name: t, values: timeline.buckets.map((b) => b.byType[t] ?? 0) })),
    );
  }, [timeline]);
  if (timeline.buckets.length === 0) return <p class="muted">No events stored yet.</p>;
  // The caption says in words what the bars show, for readers who cannot see them.
  const total = timeline.buckets.reduce((n, b) => n + b.count, 0);
  const busiest = timeline.buckets.reduce((a, b) => (b.count > a.count ? b : a));
  const first = timeline.buckets[0].start;
  const last = timeline.buckets[timeline.buckets.length - 1].start;
  const caption = `Events per ${timeline.bucket} by type, ${day(first)} to ${day(last)}: ${count(total)} events; busiest ${timeline.bucket} ${day(busiest.start)} (${count(busiest.count)})`;
  return <Chart caption={caption} option={option} points={timeline.buckets.length} />;
}

function paramText(v: ModelVersion): string {
  const params = v.params ?? v.meta.params ?? {};
  const sources = v.meta.paramSources ?? {};
  const tuned = new Set(v.tunedParams ?? Object.keys(sources).filter((k) => sources[k] === 'tuned'));
  // Parameters someone chose (config, tuning, scaling to the data) first; when all are the model's defaults, a few.
  const chosen = Object.entries(params).filter(([k]) => tuned.has(k) || (sources[k] !== undefined && sources[k] !== 'default'));
  const shown = chosen.length > 0 ? chosen : Object.entries(params).slice(0, 4);
  const text = shown.map(([k, val]) => `${k}=${typeof val === 'number' ? String(Number(val.toPrecision(4))) : String(val)}${tuned.has(k) ? ' (tuned)' : ''}`);
  return text.join(', ') || '—';
}

function trainingSeconds(v: ModelVersion): string {
  const seconds = v.trainingSeconds ?? v.meta.seconds;
  return seconds === undefined ? '—' : `${decimal(seconds, 1)} s`;
}

function metricText(v: ModelVersion): string {
  const entries = Object.entries(v.metrics ?? {});
  if (entries.length === 0) return '—';
  const used = v.metricUsed ? `chosen by ${v.metricUsed}: ` : '';
  return used + entries.map(([k, n]) => `${k} ${decimal(n, 4)}`).join(', ');
}

function Models({ models }: { models: ModelsAnswer }) {
  if (models.versions.length === 0) return <p class="muted">No model trained yet: POST /v1/train or `kindred train`.</p>;
  return (
    <table>
      <caption>Model versions (newest first)</caption>
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Model</th>
          <th scope="col">Trained</th>
          <th scope="col" class="num">Training time</th>
          <th scope="col">Parameters</th>
          <th scope="col">Offline metrics (validation)</th>
          <th scope="col" class="num">Size</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {[...models.versions].sort((a, b) => b.version - a.version).map((v) => (
          <tr key={v.version}>
            <th scope="row">v{v.version}</th>
            <td>{v.model ?? v.meta.model ?? '?'}</td>
            <td>{dateTime(v.trainedAt ?? v.meta.trainedAt ?? v.createdAt)}</td>
            <td class="num">{trainingSeconds(v)}</td>
            <td class="params">{paramText(v)}</td>
            <td>{metricText(v)}</td>
            <td class="num">{bytes(v.bytes)}</td>
            <td>{[v.serving ? 'serving' : '', v.pinned ? 'pinned' : '', v.refused ? 'refused' : ''].filter(Boolean).join(', ') || '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function providerText(p: ProviderHealth | null): string {
  if (p === null) return 'not configured';
  const parts = [p.id, p.local ? 'local' : 'remote', p.ok ? 'ok' : `failing${p.lastError ? ` (${p.lastError})` : ''}`];
  if (p.p50Ms !== undefined) parts.push(`median ${ms(p.p50Ms)}`);
  if (p.lastCallAt) parts.push(`last call ${dateTime(p.lastCallAt)}`);
  return parts.join(' · ');
}

function Serving({ stats }: { stats: ServingStats }) {
  // API routes only: the dashboard's own files are served by the same process but are not the API.
  const routes = stats.routes.filter((r) => r.route.startsWith('/v1') || r.route === '/healthz').sort((a, b) => b.count - a.count);
  return (
    <>
      <dl class="health">
        <div>
          <dt>Store</dt>
          <dd class={stats.store.ok ? 'ok' : 'bad'}>
            {stats.store.kind} · {stats.store.ok ? 'ok' : `failing${stats.store.error ? ` (${stats.store.error})` : ''}`}
          </dd>
        </div>
        <div>
          <dt>Embedding provider</dt>
          <dd class={stats.providers.embedding?.ok === false ? 'bad' : 'ok'}>{providerText(stats.providers.embedding)}</dd>
        </div>
        <div>
          <dt>LLM provider</dt>
          <dd class={stats.providers.llm?.ok === false ? 'bad' : 'ok'}>{providerText(stats.providers.llm)}</dd>
        </div>
      </dl>
      {routes.length === 0 ? (
        <p class="muted">No API requests served yet since {dateTime(stats.since)}.</p>
      ) : (
        <table>
          <caption>
            Serving latency since {dateTime(stats.since)}
            {stats.window ? ` (last ${count(stats.window)} answers per route)` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Route</th>
              <th scope="col" class="num">Requests</th>
              <th scope="col" class="num">p50</th>
              <th scope="col" class="num">p95</th>
              <th scope="col" class="num">p99</th>
              <th scope="col" class="num">Errors (5xx)</th>
            </tr>
          </thead>
          <tbody>
            {routes.map((r) => (
              <tr key={`${r.method} ${r.route}`}>
                <th scope="row">
                  {r.method} {r.route}
                </th>
                <td class="num">{count(r.count)}</td>
                <td class="num">{ms(r.p50Ms)}</td>
                <td class="num">{ms(r.p95Ms)}</td>
                <td class="num">{ms(r.p99Ms)}</td>
                <td class="num">{count(r.errors)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Overview: counts, events over time, model versions, health of the store and providers, serving latency. */
export function OverviewPage() {
  const status = useApi<StatusAnswer>('/v1/status');
  const timeline = useApi<EventTimeline>('/v1/stats/events');
  const models = useApi<ModelsAnswer>('/v1/models');
  const serving = useApi<ServingStats>('/v1/stats/serving');
  return (
    <>
      <h1>Overview</h1>
      <section aria-labelledby="counts-title">
        <h2 id="counts-title">Data</h2>
        <WhenLoaded state={status} what="counts">
          {(s) => <Counts status={s} />}
        </WhenLoaded>
      </section>
      <section aria-labelledby="events-title">
        <h2 id="events-title">Events over time</h2>
        <WhenLoaded state={timeline} what="events over time">
          {(t) => <EventsChart timeline={t} />}
        </WhenLoaded>
      </section>
      <section aria-labelledby="models-title">
        <h2 id="models-title">Models</h2>
        <WhenLoaded state={models} what="model versions">
          {(m) => <Models models={m} />}
        </WhenLoaded>
      </section>
      <section aria-labelledby="health-title">
        <h2 id="health-title">Health and serving</h2>
        <button type="button" onClick={serving.reload}>
          Refresh
        </button>
        <WhenLoaded state={serving} what="serving statistics">
          {(s) => <Serving stats={s} />}
        </WhenLoaded>
      </section>
    </>
  );
}
