import { appendFileSync } from 'node:fs';

/** Minimal structured logger contract; fields must carry ids and counts, never users' raw text. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/**
 * Environment variable naming a file that receives a copy of every log line at every level, whatever the logger's
 * own level (silent loggers included): for audits of what the logs could ever carry. The test suite sets it and scans
 * the file for planted personal data (docs/privacy.md, "Logs").
 */
export const LOG_TAP_ENV = 'KINDRED_LOG_TAP';

/** The tap of this process, read when a logger is made (no I/O until a line is logged). */
function logTap(): ((line: string) => void) | undefined {
  const file = process.env[LOG_TAP_ENV];
  return file ? (line) => appendFileSync(file, line + '\n') : undefined;
}

/** JSON-lines logger writing to stderr (stdout stays free for command output). */
export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const tap = logTap();
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: LogFields) => {
    const shown = ORDER[lvl] >= ORDER[level];
    if (!shown && !tap) return;
    const line = JSON.stringify({ level: lvl, time: new Date().toISOString(), msg, ...fields });
    tap?.(line);
    if (shown) write(line);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = createLogger('silent');
