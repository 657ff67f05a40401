import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { EngineError } from '../../core/errors.js';
import type { Scenario } from '../../storage/store.js';
import { output, parseCount, withEngine, type GlobalOptions } from '../context.js';

/** One line per scenario: name, list length, filter, description. */
export function scenariosTable(scenarios: Scenario[]): string {
  if (scenarios.length === 0) return 'no scenarios yet: `kindred scenarios put <name> --filter <expr> --count <n>` stores one';
  return scenarios.map((s) => {
    const parts = [s.name.padEnd(16), s.count === undefined ? '' : `count ${s.count}`];
    if (s.filter) parts.push(`filter ${s.filter}`);
    if (s.recall) parts.push(`recall ${JSON.stringify(s.recall)}`);
    if (s.care) parts.push(`care ${JSON.stringify(s.care)}`);
    if (s.description) parts.push(`(${s.description})`);
    return parts.filter(Boolean).join('  ');
  }).join('\n');
}

interface PutOptions { file?: string; filter?: string; count?: string; description?: string; json?: boolean }

/** The scenario body from `--file` (JSON, the scenario without or with its name), then the flags over it. */
function scenarioFrom(name: string, opts: PutOptions): Scenario {
  let body: Record<string, unknown> = {};
  if (opts.file !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.file, 'utf8'));
    } catch {
      throw new EngineError('INVALID_INPUT', '--file must name a readable JSON file holding one scenario object', { field: 'file' });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new EngineError('INVALID_INPUT', '--file must hold one JSON object', { field: 'file' });
    body = parsed as Record<string, unknown>;
    if (body.name !== undefined && body.name !== name) throw new EngineError('INVALID_INPUT', 'the name in --file differs from the name argument', { field: 'name' });
  }
  const scenario = { ...body, name } as Scenario;
  if (opts.filter !== undefined) scenario.filter = opts.filter;
  if (opts.count !== undefined) scenario.count = parseCount(opts.count, 0);
  if (opts.description !== undefined) scenario.description = opts.description;
  return scenario;
}

/** `--json` may land on `scenarios` or on the subcommand depending on where it is written. */
const jsonWanted = (cmd: Command) => !!cmd.optsWithGlobals<{ json?: boolean }>().json;

export function scenariosCommand(program: Command): void {
  const scenarios = program
    .command('scenarios')
    .description('Stored scenarios (named filter, list length and recall quotas, used by recommend/similar --scenario); lists them')
    .option('--json', 'print JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const all = await engine.listScenarios();
        output(jsonWanted(cmd), all, () => scenariosTable(all));
      });
    });
  scenarios.command('list').description('List every scenario, in name order').option('--json', 'print JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const all = await engine.listScenarios();
        output(jsonWanted(cmd), all, () => scenariosTable(all));
      });
    });
  scenarios.command('get').argument('<name>').description('Show one scenario').option('--json', 'print JSON')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const scenario = await engine.getScenario(name);
        output(jsonWanted(cmd), scenario, () => scenariosTable([scenario]));
      });
    });
  scenarios.command('put').argument('<name>', '1-64 characters of a-z, 0-9, _ and -')
    .description('Create or replace a scenario from --file (JSON: filter, count, recall, care, description) and/or the flags (flags win)')
    .option('--file <path>', 'JSON file holding the scenario, e.g. {"filter": "in_stock = true", "count": 20, "recall": {"popular": {"quota": 0}}}')
    .option('--filter <expr>', 'filter expression (docs/filters.md)')
    .option('-n, --count <n>', 'list length')
    .option('--description <text>', 'what the scenario is for')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: PutOptions, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        const stored = await engine.putScenario(scenarioFrom(name, opts));
        output(jsonWanted(cmd), stored, () => `stored scenario ${stored.name}\n${scenariosTable([stored])}`);
      });
    });
  scenarios.command('delete').argument('<name>').description('Delete a scenario')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await withEngine(cmd.optsWithGlobals<GlobalOptions>(), async (engine) => {
        await engine.deleteScenario(name);
        console.log(`deleted scenario ${name}`);
      });
    });
}
