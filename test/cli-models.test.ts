import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Runs the built CLI (run `npm run build` first) on a small catalogue, as a user would.
const run = promisify(execFile);
const bin = resolve('bin/kindred.js');
const dir = mkdtempSync(join(tmpdir(), 'kindred-cli-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, KINDRED_EMBEDDINGS: 'builtin', KINDRED_LOG_LEVEL: 'warn' };
const kindred = (db: string, ...args: string[]) =>
  run(process.execPath, [bin, '--db', `sqlite://${join(dir, db)}`, ...args], { cwd: dir, env, maxBuffer: 16 << 20 });
const failure = async (p: Promise<unknown>) => (await p.then(() => ({ code: 0, stderr: '' }), (e: unknown) => e)) as { code: number; stderr: string };

const SPACE = ['A starship crew travels to a distant galaxy.', 'Astronauts stranded on Mars fight to survive.', 'Rebel pilots fly against a galactic empire.', 'A rocket engineer builds a ship to reach the moon.', 'A space station falls silent; a rescue ship finds a monster.', 'Robots wage war among the planets of a far solar system.'];
const LOVE = ['Two strangers fall in love in Paris.', 'A bride falls for the wedding planner.', 'Childhood sweethearts rekindle their romance.', 'A shy baker and a florist fall in love.', 'A love letter starts a romance between two lonely people.', 'A couple on the verge of divorce rediscover their marriage.'];

/** 12 films with text, and 24 users who like one genre each; `withText: false` writes the same events with no items. */
function writeDataset(folder: string, withText: boolean): string {
  mkdirSync(folder, { recursive: true });
  const items = [...SPACE.map((text, i) => ({ id: `sf${i}`, title: `Space film ${i}`, text })), ...LOVE.map((text, i) => ({ id: `ro${i}`, title: `Love film ${i}`, text }))];
  if (withText) writeFileSync(join(folder, 'items.jsonl'), items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  const events: string[] = [];
  for (let u = 0; u < 24; u++) {
    const group = u % 2 === 0 ? 'sf' : 'ro';
    for (let i = 0; i < 6; i++) {
      if ((u + i) % 6 === 5) continue;
      events.push(JSON.stringify({ userId: `u${u}`, itemId: `${group}${i}`, type: 'rating', value: 4 + (i % 2), timestamp: new Date(Date.UTC(2024, 0, 1, u, i)).toISOString() }));
    }
  }
  writeFileSync(join(folder, 'events.jsonl'), events.join('\n') + '\n');
  return folder;
}

describe('content models, model names and eval over a store, through the CLI', () => {
  beforeAll(async () => {
    await kindred('text.db', 'import', writeDataset(join(dir, 'with-text'), true), '--format', 'jsonl');
    await kindred('bare.db', 'import', writeDataset(join(dir, 'bare'), false), '--format', 'jsonl');
  }, 60_000);

  it.each(['semantic', 'hybrid'])('trains %s after an import with item text, and recommends from it', async (model) => {
    const train = JSON.parse((await kindred('text.db', 'train', '--model', model, '--json')).stdout) as { model: string; items: number };
    expect(train).toMatchObject({ model, items: 12 });
    const rec = JSON.parse((await kindred('text.db', 'recommend', 'u0', '-n', '3', '--json')).stdout) as { model: { name: string }; items: Array<{ itemId: string; reasons: Array<{ text: string }> }> };
    expect(rec.model.name).toBe(model);
    expect(rec.items.map((r) => r.itemId)).toContain('sf5'); // the one space film u0 has not rated
    expect(rec.items[0].reasons[0].text).toMatch(/what you rated "(Space|Love) film \d"/);
    // Similar items say what makes them alike for this model: content (semantic), or content and who chose them.
    const sim = JSON.parse((await kindred('text.db', 'similar', 'sf0', '-n', '2', '--json')).stdout) as { items: Array<{ reasons: Array<{ text: string }> }> };
    expect(sim.items[0].reasons[0].text).toBe(model === 'semantic' ? 'Close in content to "Space film 0"' : 'Close to "Space film 0" by content and by who chose them');
  }, 60_000);

  it('refuses to train a content model on a store without item text, saying to import item text', async () => {
    const err = await failure(kindred('bare.db', 'train', '--model', 'semantic'));
    expect(err.code).not.toBe(0);
    expect(err.stderr).toMatch(/^kindred: model semantic needs item text, and no item has a title or text: import items with a title or text/);
    const evalErr = await failure(kindred('bare.db', 'eval', '--models', 'hybrid', '--protocol', 'ratio', '--no-progress'));
    expect(evalErr.stderr).toMatch(/^kindred: semantic and hybrid need item text, and no item has a title or text: import items with a title or text into the store/);
  }, 60_000);

  it('accepts the same names and aliases in train and eval', async () => {
    const train = JSON.parse((await kindred('text.db', 'train', '--model', 'pop', '--json')).stdout) as { model: string };
    expect(train.model).toBe('popular');
    const err = await failure(kindred('text.db', 'train', '--model', 'nope'));
    expect(err.stderr).toMatch(/unknown model; known: popular, itemknn/);
    expect(err.stderr).toContain('pop=popular');
  }, 60_000);

  it('evaluates the events and items of a Kindred store (--db), content models included', async () => {
    const out = join(dir, 'eval.json');
    const { stdout } = await kindred('text.db', 'eval', '--models', 'pop,itemknn,semantic,hybrid', '--protocol', 'loo', '--k', '3', '--no-progress', '--json', out);
    expect(stdout).toContain('text · loo · 24 users × 12 items');
    for (const m of ['popular', 'itemknn', 'semantic', 'hybrid']) expect(stdout).toMatch(new RegExp(`\\n${m}\\s+\\d\\.\\d{4}`));
    const missing = await failure(kindred('nowhere/typo.db', 'eval', '--models', 'itemknn', '--no-progress'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/^kindred: no Kindred store at .*typo\.db: pass --data/);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  }, 60_000);

  it('prints a headline saying what the list is based on, never "model X" as the reason', async () => {
    await kindred('text.db', 'train', '--model', 'itemknn');
    const { stdout } = await kindred('text.db', 'recommend', 'u1', '-n', '3');
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('For user u1, from their history');
    expect(lines[1]).toMatch(/ro4 .*Because you rated "Love film \d"/); // the one love film u1 has not rated
    // The rest of the list: popular filler (main-first) or, with learned fusion, the ALS channel's picks.
    expect(lines.slice(2, 4).every((l) => /(Popular: \d+ people chose it|Chosen by people whose choices resemble yours)$/.test(l))).toBe(true);
    expect(stdout).not.toMatch(/Personalised —|Recommended by the/);
    const stranger = (await kindred('text.db', 'recommend', 'stranger', '-n', '2')).stdout;
    expect(stranger.split('\n')[0]).toBe('For user stranger: nothing is known of their tastes yet (unknown user, no history or no consent)');
    expect(stranger).toMatch(/Popular: \d+ people chose it; we don't know your tastes yet/);
  }, 60_000);
});
