import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI (run `npm run build` first), as a user would.
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-cli-profile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, KINDRED_EMBEDDINGS: 'none', KINDRED_LOG_LEVEL: 'warn' };
const kindred = (...args: string[]) => run(process.execPath, [bin, '--db', `sqlite://${join(dir, 'k.db')}`, ...args], { cwd: dir, env, maxBuffer: 16 << 20 });

/** 6 space films and 6 romances, 24 users who like one genre each, and `fan` who rated all 12 (space films first). */
function writeDataset(folder: string): string {
  mkdirSync(folder, { recursive: true });
  const items = [
    ...Array.from({ length: 6 }, (_, i) => ({ id: `sf${i}`, title: `Space film ${i}`, categories: ['Sci-Fi'], tags: ['space'] })),
    ...Array.from({ length: 6 }, (_, i) => ({ id: `ro${i}`, title: `Love film ${i}`, categories: ['Romance'], tags: ['wedding'] })),
  ];
  writeFileSync(join(folder, 'items.jsonl'), items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  const at = (day: number, i: number) => new Date(Date.UTC(2024, 0, 1 + day, 0, i)).toISOString();
  const events: string[] = [];
  for (let u = 0; u < 24; u++) {
    for (let i = 0; i < 6; i++) events.push(JSON.stringify({ userId: `u${u}`, itemId: `${u % 2 === 0 ? 'sf' : 'ro'}${i}`, type: 'rating', value: 5, timestamp: at(0, i) }));
  }
  items.forEach((it, i) => events.push(JSON.stringify({ userId: 'fan', itemId: it.id, type: 'rating', value: 5, timestamp: at(i < 6 ? 0 : 300, i) })));
  writeFileSync(join(folder, 'events.jsonl'), events.join('\n') + '\n');
  return folder;
}

describe('kindred profile, through the built CLI', () => {
  beforeAll(async () => {
    await kindred('import', writeDataset(join(dir, 'data')), '--format', 'jsonl');
    await kindred('train', '--model', 'als', '--params', JSON.stringify({ factors: 8, iterations: 10 }));
  }, 60_000);

  it('prints the interests, labelled, with their shares and the drift', async () => {
    const { stdout } = await kindred('profile', 'fan');
    expect(stdout).toMatch(/^Interests of user fan \(model als v1, clustered in factors space\)/);
    expect(stdout).toMatch(/\n {2}\d\. Sci-Fi · space {2}\d+% \(recently \d+%\), 6 items, e\.g\. Space film/);
    expect(stdout).toMatch(/\n {2}\d\. Romance · wedding {2}\d+% \(recently 100%\), 6 items, e\.g\. Love film/);
    expect(stdout).toMatch(/\nDrift \(short vs long term\): \d\.\d\d\n/);
  }, 30_000);

  it('prints the same profile as JSON with --json, and fails for an unknown user', async () => {
    const profile = JSON.parse((await kindred('profile', 'fan', '--json')).stdout) as { events: number; interests: Array<{ label: string }>; drift: number; longTerm: { vectors: { factors: number[] } } };
    expect(profile.events).toBe(12);
    expect(profile.interests.map((i) => i.label).sort()).toEqual(['Romance · wedding', 'Sci-Fi · space']);
    expect(profile.longTerm.vectors.factors).toHaveLength(8);
    // The romances came 300 days after the space films: the short term (half-life 7 days) is romance alone, the long
    // term keeps the space films at 2^(−300/365) ≈ 0.57, so with orthogonal genres drift ≈ 1 − 1/√(1 + 0.57²) ≈ 0.13.
    expect(profile.drift).toBeGreaterThan(0.1);
    expect(profile.drift).toBeLessThan(0.2);
    const err = (await kindred('profile', 'nobody').then(() => ({ code: 0, stderr: '' }), (e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).not.toBe(0);
    expect(err.stderr).toMatch(/unknown user/);
  }, 30_000);

  it('mutes and boosts interests with --mute / --boost id=factor, shows them, and clears them with --reset', async () => {
    const ids = JSON.parse((await kindred('profile', 'fan', '--json')).stdout) as { interests: Array<{ id: string; label: string }> };
    const sciFi = ids.interests.find((i) => i.label.startsWith('Sci-Fi'))?.id ?? '';
    const romance = ids.interests.find((i) => i.label.startsWith('Romance'))?.id ?? '';
    const { stdout } = await kindred('profile', 'fan', '--mute', sciFi, '--boost', `${romance}=1.5`);
    const lineOf = (id: string) => stdout.split('\n').find((l) => l.startsWith(`  ${id}. `)) ?? '';
    expect(lineOf(sciFi)).toMatch(/^ {2}\d+\. Sci-Fi · space .*\[muted\]$/);
    expect(lineOf(romance)).toMatch(/^ {2}\d+\. Romance · wedding .*\[boost 1\.5\]$/);
    const stored = JSON.parse((await kindred('profile', 'fan', '--json')).stdout) as { interests: Array<{ id: string; muted: boolean; boost: number }> };
    expect(stored.interests.find((i) => i.id === sciFi)).toMatchObject({ muted: true, boost: 1 });
    const reset = JSON.parse((await kindred('profile', 'fan', '--reset', '--json')).stdout) as { interests: Array<{ muted: boolean; boost: number }> };
    expect(reset.interests.every((i) => !i.muted && i.boost === 1)).toBe(true);
    const bad = (await kindred('profile', 'fan', '--mute', '99').then(() => ({ code: 0, stderr: '' }), (e: unknown) => e)) as { code: number; stderr: string };
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/not an interest of this profile/);
  }, 30_000);
});
