/**
 * `transformers://<model-id>`: local ONNX sentence encoders through transformers.js (the optional dependency
 * @huggingface/transformers, imported only when this provider is opened). Feature-extraction pipeline, mean
 * pooling over the attention mask (or the CLS token), L2 normalisation.
 *
 * Offline use: `offline: true` passes `local_files_only` and sets `env.allowRemoteModels = false`; `localModelPath`
 * sets `env.localModelPath` (a folder holding `<model-id>/config.json`, `tokenizer.json`, `onnx/model*.onnx`).
 * Both env settings are process-wide in transformers.js. A model id may also be an absolute folder path.
 */
import type { Logger } from '../../core/logger.js';
import { EngineError } from '../../core/errors.js';
import type { EmbeddingProvider } from '../embedding.js';
import { createConcurrencyLimit } from '../concurrency-limit.js';
import { embedInBatches } from '../embed-batches.js';
import { l2Normalize } from '../vectors.js';

export const TRANSFORMERS_PACKAGE = '@huggingface/transformers';
export const TRANSFORMERS_DTYPES = ['auto', 'fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const;
export type TransformersDtype = (typeof TRANSFORMERS_DTYPES)[number];

export interface TransformersEncoderOptions {
  /** Hugging Face model id (e.g. "Xenova/all-MiniLM-L6-v2") or an absolute model folder. */
  model: string;
  /** Where downloaded models are cached (transformers.js `cache_dir`). */
  cacheDir?: string;
  /** Never download: local files only. */
  offline?: boolean;
  /** Folder searched for local models (transformers.js `env.localModelPath`). */
  localModelPath?: string;
  /** Weight precision: picks onnx/model.onnx (fp32), model_quantized.onnx (q8), model_fp16.onnx ... */
  dtype?: TransformersDtype;
  /** Legacy switch: true = dtype "q8", false = "fp32". */
  quantized?: boolean;
  /** "mean" (default; sentence-transformers models) or "cls" (e.g. BGE). */
  pooling?: 'mean' | 'cls';
  /** Texts per inference call (default 32). */
  batchSize?: number;
  logger?: Logger;
}

interface Tensor { dims: number[]; data: ArrayLike<number> }
type FeatureExtractor = (texts: string[], options: { pooling: 'mean' | 'cls'; normalize: boolean }) => Promise<Tensor>;
interface TransformersModule {
  env: { allowRemoteModels: boolean; localModelPath: string };
  pipeline(task: 'feature-extraction', model: string, options: Record<string, unknown>): Promise<FeatureExtractor>;
}

async function importTransformers(): Promise<TransformersModule> {
  const specifier: string = TRANSFORMERS_PACKAGE; // a variable keeps the optional package out of compile-time resolution
  try {
    return (await import(specifier)) as TransformersModule;
  } catch (e) {
    throw new EngineError('UNSUPPORTED', `transformers:// needs the optional package ${TRANSFORMERS_PACKAGE} (npm install ${TRANSFORMERS_PACKAGE})`, {
      cause: (e as Error).message,
    });
  }
}

function resolveDtype(opts: TransformersEncoderOptions): TransformersDtype {
  if (opts.dtype !== undefined && !TRANSFORMERS_DTYPES.includes(opts.dtype)) {
    throw new EngineError('INVALID_CONFIG', `transformers dtype must be one of ${TRANSFORMERS_DTYPES.join(', ')}`, { path: 'dtype' });
  }
  if (opts.quantized === undefined) return opts.dtype ?? 'fp32';
  const implied = opts.quantized ? 'q8' : 'fp32';
  if (opts.dtype !== undefined && opts.dtype !== implied) {
    throw new EngineError('INVALID_CONFIG', `transformers options quantized=${opts.quantized} and dtype=${opts.dtype} disagree`, { path: 'dtype' });
  }
  return implied;
}

/**
 * Loads the model (downloading it unless offline) and returns the provider; dimensions come from a probe text.
 *
 * @example const enc = await openTransformersEncoder({ model: 'Xenova/all-MiniLM-L6-v2', dtype: 'q8' });
 */
export async function openTransformersEncoder(opts: TransformersEncoderOptions): Promise<EmbeddingProvider> {
  const dtype = resolveDtype(opts);
  const pooling = opts.pooling ?? 'mean';
  const batchSize = opts.batchSize ?? 32;
  if (pooling !== 'mean' && pooling !== 'cls') throw new EngineError('INVALID_CONFIG', 'transformers pooling must be mean or cls', { path: 'pooling' });
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new EngineError('INVALID_CONFIG', 'transformers batchSize must be a positive integer', { path: 'batchSize' });

  const tf = await importTransformers();
  if (opts.offline) tf.env.allowRemoteModels = false;
  if (opts.localModelPath !== undefined) tf.env.localModelPath = opts.localModelPath;
  let extractor: FeatureExtractor;
  try {
    extractor = await tf.pipeline('feature-extraction', opts.model, {
      dtype,
      local_files_only: opts.offline ?? false,
      ...(opts.cacheDir !== undefined ? { cache_dir: opts.cacheDir } : {}),
    });
  } catch (e) {
    throw new EngineError('PROVIDER_FAILED', `could not load transformers model ${opts.model}: ${(e as Error).message}`, { provider: 'transformers' });
  }

  // One inference at a time: onnxruntime already uses every core for a single call.
  const limit = createConcurrencyLimit(1);
  const infer = async (texts: string[]): Promise<Float32Array[]> => {
    let tensor: Tensor;
    try {
      tensor = await extractor(texts, { pooling, normalize: true });
    } catch (e) {
      throw new EngineError('PROVIDER_FAILED', `transformers inference failed: ${(e as Error).message}`, { provider: 'transformers', model: opts.model });
    }
    const [rows, dims] = tensor.dims;
    if (tensor.dims.length !== 2 || rows !== texts.length) {
      throw new EngineError('PROVIDER_FAILED', `transformers model returned shape [${tensor.dims.join(', ')}] for ${texts.length} texts`, { provider: 'transformers' });
    }
    return Array.from({ length: rows }, (_, r) => {
      const v = Float32Array.from({ length: dims }, (_, d) => Number(tensor.data[r * dims + d]));
      l2Normalize(v); // already unit length for fp32; fp16 output is re-normalised in float32
      return v;
    });
  };

  const dimensions = (await infer(['dimension probe']))[0].length;
  opts.logger?.info('transformers model loaded', { model: opts.model, dtype, dimensions });
  return {
    id: `transformers:${opts.model}${dtype === 'fp32' ? '' : `@${dtype}`}${pooling === 'mean' ? '' : `#${pooling}`}`,
    dimensions,
    local: true,
    embed: (texts, signal) => embedInBatches(texts, (batch) => infer(batch), { dimensions, batchSize, limit, signal }),
  };
}
