import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { EngineError } from '../../core/errors.js';

/**
 * The identity (device and inode) of the database file as it was when the store opened it. SQLite keeps writing to
 * an open file that was deleted or replaced, and everything written then is lost on restart; checking the path
 * before each write turns that silent loss into STORE_UNAVAILABLE. One stat() costs microseconds.
 *
 * @example const id = FileIdentity.of('/data/kindred.db'); id.check(); // throws once the file is gone
 */
export class FileIdentity {
  private constructor(
    readonly path: string,
    private readonly dev: number,
    private readonly ino: number,
  ) {}

  static of(path: string): FileIdentity {
    const s = statOrUndefined(path);
    if (!s) throw unavailable('the database file is missing');
    return new FileIdentity(path, s.dev, s.ino);
  }

  /** Throws STORE_UNAVAILABLE when the path no longer leads to the file opened. */
  check(): void {
    const s = statOrUndefined(this.path);
    if (!s) throw unavailable('the database file was deleted while the store was open; restart to reopen it (writes are refused)');
    if (s.dev !== this.dev || s.ino !== this.ino) {
      throw unavailable('the database file was replaced while the store was open; restart to reopen it (writes are refused)');
    }
  }

  /** check() plus: the process may still write the file. */
  checkWritable(): void {
    this.check();
    try {
      accessSync(this.path, constants.W_OK);
    } catch {
      throw unavailable('the database file is not writable by this process');
    }
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

// Details name no path: error bodies reach HTTP clients, and the path is the operator's business (it is in the config).
function unavailable(message: string): EngineError {
  return new EngineError('STORE_UNAVAILABLE', message, { check: 'file' });
}
