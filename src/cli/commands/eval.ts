import { Option, type Command } from 'commander';
import { FUSE_STAGE_NAMES, type FuseStageName } from '../../config/pipeline-section.js';
import { createLogger, type LogLevel } from '../../core/logger.js';
import { EngineError } from '../../core/errors.js';
import { DATASET_FORMATS, type DatasetFormat } from '../../eval/dataset.js';
import { PROTOCOLS, TEST_HISTORIES, type ProtocolName, type TestHistory } from '../../eval/protocols.js';
import { renderHtmlReport } from '../../eval/report/html.js';
import { reportName, saveReport } from '../../eval/report/saved-reports.js';
import { careCurvesSvg } from '../../eval/report/care-curves.js';
import { resultTable } from '../../eval/report/table.js';
import { runEvaluation, type EvalProgress, type ModelSpec } from '../../eval/runner.js';
import { canonicalModelName, modelDefinition } from '../../models/registry.js';
import { dpEpsilonList, withDpEpsilons } from './eval-dp.js';
import { evalInput } from './eval-input.js';
import { CARE_PRESETS, isCarePreset, type CarePreset } from '../../care/presets.js';
import { loadConfig, type GlobalOptions } from '../context.js';
import { createProgress, type Progress } from '../progress.js';
import { STDOUT_PATH, writeOutput } from '../write-output.js';

export interface EvalFlags {
  data?: string;
  itemText?: string;
  format?: DatasetFormat;
  name?: string;
  protocol: ProtocolName;
  models: string;
  params?: string;
  search?: 'random' | 'grid';
  trials: string;
  searchMetric: string;
  k: string;
  seed: string;
  sampled?: string;
  refit?: boolean;
  testHistory?: TestHistory;
  minRating?: string;
  kcore?: string;
  dedup?: boolean;
  ratios?: string;
  testFrom?: string;
  validFrom?: string;
  threads?: string;
  json?: string;
  report?: string;
  save?: string;
  userCol?: string;
  itemCol?: string;
  ratingCol?: string;
  timeCol?: string;
  delimiter?: string;
  progress?: boolean;
  pipeline?: boolean;
  pipelineFuse: string;
  care?: string;
  careCurves?: boolean;
  careSvg?: string;
  dpEpsilons?: string;
}

/** The care presets --care names (src/care/presets.ts); each adds one `pipeline+care:<preset>` result. */
function careList(raw: string | undefined, pipeline: boolean | undefined): CarePreset[] | undefined {
  if (raw === undefined) return undefined;
  if (!pipeline) throw new EngineError('INVALID_INPUT', '--care needs --pipeline: the presets are scored on the whole recommend path');
  const names = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  const bad = names.find((n) => !isCarePreset(n));
  if (bad !== undefined || names.length === 0) throw new EngineError('INVALID_INPUT', `--care must list care presets (${CARE_PRESETS.join(', ')}), got "${raw}"`);
  return names as CarePreset[];
}

/** The fusion stages --pipeline-fuse names; each adds one pipeline result. */
function fuseList(raw: string): FuseStageName[] {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.find((n) => !(FUSE_STAGE_NAMES as readonly string[]).includes(n));
  if (bad !== undefined || names.length === 0) throw new EngineError('INVALID_INPUT', `--pipeline-fuse must list fusion stages (${FUSE_STAGE_NAMES.join(', ')}), got "${raw}"`);
  return names as FuseStageName[];
}

function numberList(raw: string, flag: string): number[] {
  const xs = raw.split(',').map((s) => Number(s.trim()));
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x))) throw new EngineError('INVALID_INPUT', `${flag} must be a comma-separated list of numbers, got "${raw}"`);
  return xs;
}

function wholeNumber(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new EngineError('INVALID_INPUT', `${flag} must be a whole number, got "${raw}"`);
  return n;
}

/** Unix seconds from "2000-12-01" / an ISO time / a number of seconds. */
function timeFlag(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) return undefined;
  const t = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Date.parse(raw) / 1000;
  if (!Number.isFinite(t)) throw new EngineError('INVALID_INPUT', `${flag} must be a date or unix seconds, got "${raw}"`);
  return t;
}

/** Per-model params from --params: {"ease": {...}} keyed by model name or alias. */
function modelSpecs(models: string, paramsJson: string | undefined): ModelSpec[] {
  let params: Record<string, Record<string, unknown>> = {};
  if (paramsJson) {
    try {
      params = JSON.parse(paramsJson) as Record<string, Record<string, unknown>>;
    } catch {
      throw new EngineError('INVALID_INPUT', '--params must be a JSON object keyed by model, e.g. \'{"ease":{"lambda":500}}\'');
    }
  }
  return models.split(',').map((m) => m.trim()).filter(Boolean).map((name) => {
    const canonical = canonicalModelName(name);
    return { name: canonical, params: params[name] ?? params[canonical] };
  });
}

/** One progress display per (model, phase, trial); replaced when the runner moves on. */
function progressReporter(): { onProgress: (p: EvalProgress) => void; stop: () => void } {
  let key = '';
  let current: Progress | undefined;
  return {
    onProgress(p) {
      const label = `${p.model} ${p.phase}${p.trial ? ` (trial ${p.trial}/${p.trials})` : ''}`;
      if (label !== key) {
        current?.stop();
        current = createProgress(label);
        key = label;
      }
      current?.update(p.done, p.total);
    },
    stop: () => current?.stop(),
  };
}

/** Adds `kindred eval`: offline evaluation of models on a ratings dataset under a named protocol. */
export function evalCommand(program: Command): void {
  program
    .command('eval')
    .description('Evaluate models offline on a ratings dataset (RecBole-compatible protocols, full ranking) and write JSON/HTML reports')
    .option('--data <path>', 'dataset folder (MovieLens) or ratings CSV file (default: the Kindred store of --db / KINDRED_DB)')
    .option('--item-text <file>', 'item texts for content models (semantic, hybrid): the TMDB movies CSV joined through the dataset\'s links.csv, as in import')
    .addOption(new Option('--format <format>', 'dataset layout (default: detected)').choices([...DATASET_FORMATS]))
    .option('--name <name>', 'dataset name in reports (default: folder or file name)')
    .addOption(new Option('--protocol <name>', 'evaluation protocol').choices([...PROTOCOLS]).default('recbole'))
    .requiredOption('--models <list>', 'comma-separated models or aliases (as for train), e.g. popular,itemknn,ease,als,bpr,semantic')
    .option('--params <json>', 'fixed params per model, e.g. \'{"ease":{"lambda":500}}\'')
    .addOption(new Option('--search <method>', 'tune each model on validation').choices(['random', 'grid']))
    .option('--trials <n>', 'search trials per model', '20')
    .option('--search-metric <metric>', 'validation metric that picks the params', 'ndcg@10')
    .option('--k <list>', 'cut-offs', '5,10,20')
    .option('--seed <n>', 'random seed for the split, sampling and fits', '42')
    .option('--sampled <n>', 'sampled ranking: N random negatives per positive (labelled; not comparable with full ranking)')
    .option('--refit', 'fit the chosen params again on train + valid before scoring test (not RecBole protocol)')
    .addOption(new Option('--test-history <rows>', 'what test users\' histories hold without --refit (default: train+valid for loo, as SASRec; train otherwise)').choices([...TEST_HISTORIES]))
    .option('--min-rating <x>', 'override: ratings >= x are positives')
    .option('--kcore <n>', 'override: iterative k-core on users and items (0 = off)')
    .option('--no-dedup', 'override: keep repeated user-item rows')
    .option('--ratios <list>', 'override: train,valid,test shares for ratio protocols', undefined)
    .option('--test-from <time>', 'temporal: test period start (date or unix seconds)')
    .option('--valid-from <time>', 'temporal: valid period start (date or unix seconds)')
    .option('--threads <n>', 'worker threads models may use while fitting, and full ranking while scoring blocks of users (default: every core)')
    .option('--json <file>', 'write the results as JSON (- = stdout, instead of the table)')
    .option('--report <file>', 'write a self-contained HTML report (- = stdout, instead of the table)')
    .option('--save <name>', 'also save the JSON and HTML reports as <name>.json and <name>.html in config eval.reportsDir, where the dashboard and GET /v1/eval/reports find them')
    .option('--user-col <name>', 'CSV: user column')
    .option('--item-col <name>', 'CSV: item column')
    .option('--rating-col <name>', 'CSV: rating column (absent: every row is a positive)')
    .option('--time-col <name>', 'CSV: time column')
    .option('--delimiter <char>', 'CSV: field delimiter')
    .option('--pipeline', 'also score the whole recommend path over the models (result "pipeline": channels, learned fusion fitted on validation only; filters off, the care stages as configured)')
    .option('--pipeline-fuse <list>', 'with --pipeline: fusion stages to score, one result each (learned is "pipeline", others "pipeline:<name>")', 'learned')
    .option('--care <list>', `with --pipeline: care presets to score besides it, one result each "pipeline+care:<preset>" (${CARE_PRESETS.join(', ')}; docs/care.md)`)
    .option('--care-curves', 'with --pipeline: sweep each care stage\'s strength alone (diversity, long-tail, calibration) and draw NDCG@10 against diversity, coverage, novelty, calibration and long-tail share in the report')
    .option('--care-svg <file>', 'with --care-curves: also write the trade-off charts as one SVG file (for docs)')
    .option('--dp-epsilons <list>', 'differential privacy curve: run popular/itemknn/ease/als once per ε, e.g. 0.5,1,2,5,10,inf (inf = exact model; docs/privacy.md)')
    .option('--no-progress', 'no progress display on stderr')
    .action(async (flags: EvalFlags, cmd: Command) => {
      if (flags.json === STDOUT_PATH && flags.report === STDOUT_PATH) throw new EngineError('INVALID_INPUT', 'only one of --json and --report can be - (stdout)');
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const logger = createLogger((globals.logLevel ?? 'warn') as LogLevel);
      // A bad name fails before the evaluation runs; the folder comes from the config (file, environment).
      const save = flags.save === undefined ? undefined : { name: reportName(flags.save), dir: loadConfig(globals).eval.reportsDir };
      const specs = modelSpecs(flags.models, flags.params);
      const models = flags.dpEpsilons === undefined ? specs : withDpEpsilons(specs, dpEpsilonList(flags.dpEpsilons));
      // Resolve every model name before reading data, so a typo fails fast.
      for (const m of models) modelDefinition(m.name);
      const { data, itemEmbeddings } = await evalInput(flags, globals, models, logger);
      const ratios = flags.ratios ? numberList(flags.ratios, '--ratios') : undefined;
      if (ratios && ratios.length !== 3) throw new EngineError('INVALID_INPUT', '--ratios needs three numbers: train,valid,test');
      const kcore = wholeNumber(flags.kcore, '--kcore');
      const care = careList(flags.care, flags.pipeline);
      if (flags.careCurves && !flags.pipeline) throw new EngineError('INVALID_INPUT', '--care-curves needs --pipeline: the curves are scored on the whole recommend path');
      if (flags.careSvg && !flags.careCurves) throw new EngineError('INVALID_INPUT', '--care-svg needs --care-curves');
      const abort = new AbortController();
      const onSigint = (): void => abort.abort();
      process.once('SIGINT', onSigint);
      const progress = flags.progress === false ? { onProgress: undefined, stop: () => undefined } : progressReporter();
      try {
        const result = await runEvaluation({
          data,
          protocol: flags.protocol,
          filters: {
            minRating: flags.minRating === undefined ? undefined : numberList(flags.minRating, '--min-rating')[0],
            kcore,
            // commander sets dedup=true unless --no-dedup: only an explicit --no-dedup overrides the preset
            dedup: flags.dedup === false ? false : undefined,
          },
          split: {
            ratios: ratios as [number, number, number] | undefined,
            testFrom: timeFlag(flags.testFrom, '--test-from'),
            validFrom: timeFlag(flags.validFrom, '--valid-from'),
          },
          models,
          itemEmbeddings,
          ks: numberList(flags.k, '--k'),
          seed: wholeNumber(flags.seed, '--seed') ?? 42,
          sampled: wholeNumber(flags.sampled, '--sampled'),
          refit: flags.refit === true,
          testHistory: flags.testHistory,
          search: flags.search ? { method: flags.search, trials: wholeNumber(flags.trials, '--trials') ?? 20, metric: flags.searchMetric } : undefined,
          threads: wholeNumber(flags.threads, '--threads'),
          pipeline: flags.pipeline ? fuseList(flags.pipelineFuse) : undefined,
          // the recommend path of this config (file, environment): its channels, re-rank stages and interests
          pipelineConfig: flags.pipeline ? loadConfig(globals) : undefined,
          care,
          careCurves: flags.careCurves === true,
          logger,
          signal: abort.signal,
          onProgress: progress.onProgress,
        });
        progress.stop();
        if (flags.json) writeOutput(flags.json, JSON.stringify(result, null, 2) + '\n');
        if (flags.report) writeOutput(flags.report, renderHtmlReport(result));
        if (save) {
          const saved = await saveReport(save.dir, save.name, result, renderHtmlReport(result));
          process.stderr.write(`saved ${saved.json} and ${saved.html}\n`);
        }
        const svg = flags.careSvg ? careCurvesSvg(result) : undefined;
        if (flags.careSvg && svg) writeOutput(flags.careSvg, svg);
        // stdout carries one thing: the table, unless an output file went there
        if (flags.json !== STDOUT_PATH && flags.report !== STDOUT_PATH) process.stdout.write(resultTable(result));
      } finally {
        progress.stop();
        process.off('SIGINT', onSigint);
      }
    });
}
