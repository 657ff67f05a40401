import type { PageOptions } from './store.js';

/** One page of a listing: the records, and `after` (the last id) when more may follow. */
export interface Page<T> {
  records: T[];
  after?: string;
}

/**
 * One page plus `after` when more may follow: one extra record is read to know.
 *
 * @example await pageOf((o) => store.listItems(o), { limit: 100 })
 */
export async function pageOf<T extends { id: string }>(list: (o: PageOptions) => Promise<T[]>, opts: PageOptions): Promise<Page<T>> {
  const rows = await list({ after: opts.after, limit: opts.limit + 1 });
  if (rows.length <= opts.limit) return { records: rows };
  const records = rows.slice(0, opts.limit);
  return { records, after: records[records.length - 1].id };
}
