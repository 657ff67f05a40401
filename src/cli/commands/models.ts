import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import type { ModelsReport } from '../../engine-types.js';
import { output, withEngine, type GlobalOptions } from '../context.js';

const MIB = 1024 * 1024;

function describeMeta(meta: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof meta.model === 'string') parts.push(meta.model);
  if (meta.params && typeof meta.params === 'object' && Object.keys(meta.params).length > 0) parts.push(JSON.stringify(meta.params));
  if (typeof meta.users === 'number' && typeof meta.items === 'number') parts.push(`${meta.users} users, ${meta.items} items`);
  if (typeof meta.seconds === 'number') parts.push(`${meta.seconds.toFixed(1)} s`);
  if (Array.isArray(meta.channels) && meta.channels.length > 0) parts.push(`channels ${meta.channels.join(', ')}`);
  const fusion = meta.fusion as { users?: unknown } | undefined;
  if (typeof fusion?.users === 'number') parts.push(`fusion learned on ${fusion.users} users`);
  return parts.join('  ');
}

/** The human rendering of `kindred models`: one line per version, newest first, marking the served and pinned one. */
export function modelsTable(report: ModelsReport): string {
  if (report.versions.length === 0) return 'no trained model yet: run `kindred train`';
  const lines = report.versions.map((v) => {
    const mark = v.pinned ? 'pinned' : v.serving ? 'serving' : '';
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
