import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import type { ModelsReport } from '../../engine-types.js';
import { output, withEngine, type GlobalOptions } from '../context.js';

const MIB = 1024 * 1024;

function describeMeta(meta: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof meta.model === 'string') parts.push(meta.model);
  const params = meta.params && typeof meta.params === 'object' ? describeParams(meta) : undefined;
  if (params) parts.push(params);
  const tuning = describeTuning(meta.tuning);
  if (tuning) parts.push(tuning);
  if (typeof meta.users === 'number' && typeof meta.items === 'number') parts.push(`${meta.users} users, ${meta.items} items`);
  if (typeof meta.seconds === 'number') parts.push(`${meta.seconds.toFixed(1)} s`);
  if (Array.isArray(meta.channels) && meta.channels.length > 0) parts.push(`channels ${meta.channels.join(', ')}`);
  const fusion = meta.fusion as { users?: unknown } | undefined;
  if (typeof fusion?.users === 'number') parts.push(`fusion learned on ${fusion.users} users`);
  return parts.join('  ');
}

/**
 * The params that were not plain defaults, as JSON, then which were scaled to the data or tuned (`(scaled: lambda)`).
 * Versions that recorded no `paramSources` show their params as recorded.
 */
function describeParams(meta: Record<string, unknown>): string | undefined {
  const params = meta.params as Record<string, unknown>;
  const sources = meta.paramSources && typeof meta.paramSources === 'object' ? (meta.paramSources as Record<string, unknown>) : undefined;
  const shown = sources ? Object.fromEntries(Object.entries(params).filter(([k]) => sources[k] !== 'default')) : params;
  if (Object.keys(shown).length === 0) return undefined;
  const notable = ['tuned', 'scaled'].flatMap((kind) => {
    const keys = Object.keys(shown).filter((k) => sources?.[k] === kind);
    return keys.length > 0 ? [`${kind}: ${keys.join(', ')}`] : [];
  });
  const json = JSON.stringify(shown);
  return notable.length > 0 ? `${json} (${notable.join('; ')})` : json;
}

/** "tuned: valid ndcg@10 0.2464, 31 trials (ease 11, als 10, itemknn 10)" for a tuned version, else undefined. */
function describeTuning(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const t = raw as { metric?: unknown; validMetrics?: Record<string, unknown>; trials?: unknown; models?: Array<{ model?: unknown; trials?: unknown }> };
  if (typeof t.metric !== 'string' || typeof t.trials !== 'number') return undefined;
  const value = t.validMetrics?.[t.metric];
  const perModel = Array.isArray(t.models) ? t.models.map((m) => `${String(m.model)} ${String(m.trials)}`).join(', ') : '';
  return `tuned: valid ${t.metric} ${typeof value === 'number' ? value.toFixed(4) : '?'}, ${t.trials} trials${perModel ? ` (${perModel})` : ''}`;
}

/** The human rendering of `kindred models`: one line per version, newest first, marking the served, pinned and refused one. */
export function modelsTable(report: ModelsReport): string {
  if (report.versions.length === 0) return 'no trained model yet: run `kindred train`';
  const lines = report.versions.map((v) => {
    const mark = v.refused ? 'refused' : v.pinned ? 'pinned' : v.serving ? 'serving' : '';
    const trainedAt = typeof v.meta.trainedAt === 'string' ? v.meta.trainedAt : v.createdAt;
    return `${mark.padEnd(7)} v${String(v.version).padEnd(5)} ${trainedAt}  ${(v.bytes / MIB).toFixed(1).padStart(7)} MiB  ${describeMeta(v.meta)}`;
  });
  const note = report.pinned === null
    ? 'the newest version is served; `kindred models rollback <version>` pins an older one'
    : `version ${report.pinned} is pinned for every server on this store; \`kindred models rollback latest\` serves the newest again`;
  return [...lines, '', note].join('\n');
}

function parseTarget(raw: string): number | 'latest' {
  if (raw === 'latest') return 'latest';
  const n = Number(raw);
  if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw new EngineError('INVALID_INPUT', 'version must be a positive whole number or "latest"', { field: 'version' });
  return n;
}

export function modelsCommand(program: Command): void {
  const models = program
    .command('models')
    .description('List the stored model versions (newest first) with their params and metrics, and which one is served')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const report = await engine.models();
        output(!!opts.json, report, () => modelsTable(report));
      });
    });
  models
    .command('rollback')
    .argument('<version>', 'a stored version number, or "latest" to unpin')
    .description('Serve an older version on every server of this store (a pin they pick up within models.pollSeconds); "latest" unpins')
    .option('--json', 'print JSON')
    .action(async (version: string, _opts: unknown, cmd: Command) => {
      const target = parseTarget(version);
      // `--json` may land on `models` or on `rollback` depending on where it is written
      const globals = cmd.optsWithGlobals<GlobalOptions & { json?: boolean }>();
      await withEngine(globals, async (engine) => {
        const report = await engine.rollbackModel(target);
        output(!!globals.json, report, () => `${target === 'latest' ? 'unpinned: serving the newest version' : `pinned version ${target}`}\n${modelsTable(report)}`);
      });
    })
    .exitOverride();
}
