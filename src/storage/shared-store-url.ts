/**
 * Whether the store a URL names can be opened by another thread or process: a SQLite file or a PostgreSQL database
 * can; `memory://` lives in one heap and `sqlite://:memory:` is a private database of one connection. Training and
 * loading threads, `serve --workers` and the api/trainer roles all depend on it.
 *
 * @example sharedStoreUrl('sqlite://./kindred.db') // true
 * @example sharedStoreUrl('memory://') // false
 */
export function sharedStoreUrl(storeUrl: string): boolean {
  const url = storeUrl.toLowerCase();
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return true;
  return url.startsWith('sqlite://') && !url.startsWith('sqlite://:memory:');
}
