import { useEffect, useState } from 'preact/hooks';
import { apiText, seg } from '../api/client';
import type { EvalReportSummary } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorNote, WhenLoaded } from '../components/loading';
import { dateTime, decimal } from '../format';
import { href } from '../routing';

interface EvalResultJson {
  dataset: string;
  protocol: string;
  mainK?: number;
  results: { model: string; fitSeconds: number; metrics: Record<string, number> }[];
}

/** The report's result rows as a table: one row per model, one column per test metric at the report's main K. */
function MetricsTable({ result }: { result: EvalResultJson }) {
  const k = result.mainK;
  const keys = [...new Set(result.results.flatMap((r) => Object.keys(r.metrics)))].filter((m) => k === undefined || !m.includes('@') || m.endsWith(`@${k}`));
  return (
    <div class="scroll" role="region" tabIndex={0} aria-label="Test metrics table (scrolls sideways)">
      <table>
        <caption>
          Test metrics{k !== undefined ? ` at K=${k}` : ''} ({result.dataset}, {result.protocol})
        </caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            {keys.map((m) => (
              <th scope="col" class="num" key={m}>
                {m}
              </th>
            ))}
            <th scope="col" class="num">Fit</th>
          </tr>
        </thead>
        <tbody>
          {result.results.map((r) => (
            <tr key={r.model}>
              <th scope="row">{r.model}</th>
              {keys.map((m) => (
                <td class="num" key={m}>
                  {r.metrics[m] === undefined ? '—' : decimal(r.metrics[m], 4)}
                </td>
              ))}
              <td class="num nowrap">{decimal(r.fitSeconds, 1)} s</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The HTML report (fetched with the API key, since an iframe cannot send one) shown in a sandboxed frame: no scripts,
 * no access to the dashboard. The report itself is self-contained (inline SVG plots).
 */
function ReportFrame({ name }: { name: string }) {
  const [html, setHtml] = useState<string | undefined>();
  const [error, setError] = useState<Error | undefined>();
  useEffect(() => {
    const abort = new AbortController();
    apiText(`/v1/eval/reports/${seg(name)}/html`, abort.signal).then(setHtml, (e: unknown) => {
      if (!abort.signal.aborted) setError(e instanceof Error ? e : new Error(String(e)));
    });
    return () => abort.abort();
  }, [name]);
  if (error) return <ErrorNote error={error} />;
  if (html === undefined) return <p class="muted" role="status">Loading the HTML report…</p>;
  return <iframe class="report" title={`Evaluation report ${name}`} sandbox="" srcdoc={html} />;
}

function ReportView({ report }: { report: EvalReportSummary }) {
  const json = useApi<EvalResultJson>(`/v1/eval/reports/${seg(report.name)}`);
  return (
    <article aria-labelledby="report-title">
      <h2 id="report-title">Report {report.name}</h2>
      <WhenLoaded state={json} what="the report">
        {(r) => <MetricsTable result={r} />}
      </WhenLoaded>
      {report.html !== false ? <ReportFrame name={report.name} /> : <p class="muted">No HTML report was written for this one.</p>}
    </article>
  );
}

/** Evaluation: the saved eval reports (kindred eval --save), newest first; the chosen one as a table and its HTML report. */
export function EvaluationPage({ name }: { name?: string }) {
  const reports = useApi<{ reports: EvalReportSummary[] }>('/v1/eval/reports');
  return (
    <>
      <h1>Evaluation</h1>
      <WhenLoaded state={reports} what="evaluation reports">
        {({ reports: list }) => {
          if (list.length === 0) return <p class="muted">No saved reports yet: run `kindred eval --save &lt;name&gt;` (docs/evaluation.md).</p>;
          const chosen = list.find((r) => r.name === name) ?? list[0];
          return (
            <>
              <table>
                <caption>Saved reports (newest first)</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Written</th>
                    <th scope="col">Dataset</th>
                    <th scope="col">Protocol</th>
                    <th scope="col">Models</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <tr key={r.name}>
                      <th scope="row">
                        <a href={href('evaluation', r.name)} aria-current={r.name === chosen.name ? 'page' : undefined}>
                          {r.name}
                        </a>
                      </th>
                      <td>{dateTime(r.createdAt)}</td>
                      <td>{r.dataset ?? '—'}</td>
                      <td>{r.protocol ?? '—'}</td>
                      <td>{r.models.join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ReportView key={chosen.name} report={chosen} />
            </>
          );
        }}
      </WhenLoaded>
    </>
  );
}
