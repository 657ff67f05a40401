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

/**
 * Every record in id order, one page of `size` at a time (keyset paging: writes between pages skip nothing before the
 * cursor): how the SQL adapters scan items and users.
 *
 * @example for await (const items of pagesOf((o) => store.listItems(o), 500)) index(items);
 */
export async function* pagesOf<T extends { id: string }>(list: (page: PageOptions) => Promise<T[]>, size: number): AsyncIterable<T[]> {
  for (let after = ''; ;) {
    const rows = await list({ after, limit: size });
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = rows[rows.length - 1].id;
  }
}
