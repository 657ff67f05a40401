/**
 * The typed fields of a stored model version for the overview (GET /v1/models): read from the meta its training
 * recorded, so versions stored before a field existed simply lack it.
 */

/** What the dashboard's model overview shows of a version, beside the raw `meta`. */
export interface ModelVersionSummary {
  /** The main model's name (als, ease, itemknn...). */
  model?: string;
  /** ISO-8601 time the training finished fitting. */
  trainedAt?: string;
  /** Seconds the training took, up to the version's write. */
  trainingSeconds?: number;
  /** The main model's resolved params. */
  params?: Record<string, unknown>;
  /** Params a validation search chose (`train --tune`), a subset of `params`' keys. */
  tunedParams?: string[];
  /** Offline metrics the training computed: the tuning's validation metrics @10 (absent without tuning). */
  metrics?: Record<string, number>;
  /** Which metric chose the model and params, e.g. ndcg@10 (with tuning). */
  metricUsed?: string;
  users?: number;
  items?: number;
  interactions?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function numbers(v: unknown): Record<string, number> | undefined {
  if (!isRecord(v)) return undefined;
  const out = Object.fromEntries(Object.entries(v).filter(([, x]) => finite(x) !== undefined)) as Record<string, number>;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The summary of a version's meta; fields the meta lacks (or holds in another shape) are left out.
 *
 * @example versionSummary({ model: 'ease', params: { lambda: 500 }, paramSources: { lambda: 'tuned' }, seconds: 2.5 }) // { model: 'ease', params: { lambda: 500 }, tunedParams: ['lambda'], trainingSeconds: 2.5 }
 */
export function versionSummary(meta: Record<string, unknown>): ModelVersionSummary {
  const sources = isRecord(meta.paramSources) ? meta.paramSources : {};
  const tuned = Object.keys(sources).filter((k) => sources[k] === 'tuned').sort();
  const tuning = isRecord(meta.tuning) ? meta.tuning : undefined;
  const entries: [keyof ModelVersionSummary, unknown][] = [
    ['model', text(meta.model)],
    ['trainedAt', text(meta.trainedAt)],
    ['trainingSeconds', finite(meta.seconds)],
    ['params', isRecord(meta.params) ? meta.params : undefined],
    ['tunedParams', tuned.length > 0 ? tuned : undefined],
    ['metrics', numbers(tuning?.validMetrics)],
    ['metricUsed', text(tuning?.metric)],
    ['users', finite(meta.users)],
    ['items', finite(meta.items)],
    ['interactions', finite(meta.interactions)],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as ModelVersionSummary;
}
