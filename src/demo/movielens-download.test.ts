import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../core/errors.js';
import { checkEntryName, downloadMovieLens, MOVIELENS_BASE_URL, unpackZip } from './movielens-download.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kindred-dl-'));
  dirs.push(d);
  return d;
}

/** A fetch that serves `body` for `url` and records the URLs asked for. */
function serving(body: Uint8Array | string, status = 200): typeof fetch & { urls: string[] } {
  const urls: string[] = [];
  const f = async (input: string | URL | Request) => {
    urls.push(String(input));
    return new Response(body, { status });
  };
  return Object.assign(f as typeof fetch, { urls });
}

const ml100kZip = zipSync({
  'ml-100k/u.data': strToU8('196\t242\t3\t881250949\n'),
  'ml-100k/u.genre': strToU8('unknown|0\n'),
  'ml-100k/sub/': new Uint8Array(0),
});

async function thrown(p: Promise<unknown>): Promise<EngineError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (e instanceof EngineError) return e;
  throw new Error(`expected an EngineError, got ${String(e)}`);
}

describe('downloadMovieLens', () => {
  it('downloads the GroupLens zip and unpacks it into destDir/<variant>', async () => {
    const dest = tempDir();
    const fetchFn = serving(ml100kZip);
    const folder = await downloadMovieLens('ml-100k', dest, { fetch: fetchFn });
    expect(fetchFn.urls).toEqual([`${MOVIELENS_BASE_URL}/ml-100k.zip`]);
    expect(folder).toBe(join(dest, 'ml-100k'));
    expect(readFileSync(join(folder, 'u.data'), 'utf8')).toBe('196\t242\t3\t881250949\n');
    expect(readdirSync(folder).sort()).toEqual(['sub', 'u.data', 'u.genre']);
  });

  it('reuses an unpacked dataset without fetching', async () => {
    const dest = tempDir();
    await downloadMovieLens('ml-100k', dest, { fetch: serving(ml100kZip) });
    const again = serving(ml100kZip);
    expect(await downloadMovieLens('ml-100k', dest, { fetch: again })).toBe(join(dest, 'ml-100k'));
    expect(again.urls).toEqual([]);
  });

  it('rejects a response that is not a zip, an HTTP error and a zip without the ratings file', async () => {
    const dest = tempDir();
    expect((await thrown(downloadMovieLens('ml-1m', dest, { fetch: serving('<html>maintenance</html>') }))).message)
      .toBe('download of ml-1m is not a zip file');
    expect((await thrown(downloadMovieLens('ml-1m', dest, { fetch: serving('gone', 404) }))).message)
      .toBe('download of ml-1m failed: HTTP 404');
    const wrong = zipSync({ 'other/readme.txt': strToU8('hi') });
    expect((await thrown(downloadMovieLens('ml-latest-small', dest, { fetch: serving(wrong) }))).message)
      .toBe('the ml-latest-small zip holds no ml-latest-small/ratings.csv');
  });

  it('rejects an unknown variant', async () => {
    const err = await thrown(downloadMovieLens('ml-20m' as 'ml-1m', tempDir(), { fetch: serving(ml100kZip) }));
    expect(err.code).toBe('INVALID_INPUT');
  });

  it('refuses zips with entries that escape the folder, writing nothing', async () => {
    for (const evil of ['../evil.txt', 'ml-100k/../../evil.txt', '/tmp/evil.txt', 'C:/evil.txt', '..\\evil.txt']) {
      const dest = tempDir();
      const zip = zipSync({ 'ml-100k/u.data': strToU8('1\t1\t1\t1\n'), [evil]: strToU8('pwned') });
      const err = await thrown(downloadMovieLens('ml-100k', dest, { fetch: serving(zip) }));
      expect(err.code).toBe('INVALID_INPUT');
      expect(err.message).toMatch(/outside the destination folder/);
      expect(readdirSync(dest)).toEqual([]);
      expect(existsSync(join(dest, '..', 'evil.txt'))).toBe(false);
    }
  });
});

describe('unpackZip and checkEntryName', () => {
  it('accepts nested relative names and counts the files written', () => {
    const dest = tempDir();
    expect(unpackZip(zipSync({ 'a/b/c.txt': strToU8('x'), 'd.txt': strToU8('y') }), dest)).toBe(2);
    expect(readFileSync(join(dest, 'a', 'b', 'c.txt'), 'utf8')).toBe('x');
    expect(() => checkEntryName('ml-100k/u.item')).not.toThrow();
    expect(() => checkEntryName('dots..in..name.txt')).not.toThrow();
    expect(() => checkEntryName('a/../../b')).toThrow(EngineError);
  });
});
