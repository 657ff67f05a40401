/** Display helpers: numbers and dates as a reader wants them, never as raw floats or ISO strings. */

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export function count(n: number): string {
  return integer.format(n);
}

export function decimal(n: number, digits = 2): string {
  return n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
}

export function ms(n: number): string {
  return n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`;
}

/** A date (UTC) as YYYY-MM-DD. */
export function day(iso: string): string {
  return iso.slice(0, 10);
}

/** A time (UTC) as YYYY-MM-DD HH:MM UTC. */
export function dateTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
