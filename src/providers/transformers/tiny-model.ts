/**
 * Writes a tiny BERT-shaped model folder (config, WordPiece tokenizer, ONNX graph) so tests exercise the real
 * transformers.js loading and inference path offline. The graph is an embedding lookup followed by tanh:
 * last_hidden_state[b, s] = tanh(E[input_ids[b, s]]), so the expected sentence vector is computable by hand.
 * `onnx/model_quantized.onnx` holds the same graph with E rounded to an int8 grid (what dtype "q8" loads).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeOnnxModel, type OnnxGraph } from './onnx-proto.js';

export const TINY_DIMENSIONS = 8;
const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const WORDS = ['space', 'star', 'ship', 'alien', 'planet', 'war', 'love', 'story', 'romance', 'heart', 'the', 'a', 'of', 'and', '##s', '##ship'];
/** Token -> id of the tiny WordPiece vocabulary. */
export const TINY_VOCAB: Readonly<Record<string, number>> = Object.fromEntries([...SPECIAL, ...WORDS].map((t, i) => [t, i]));

/** The embedding table E (vocab x 8); deterministic and full-rank. */
export function tinyEmbeddingTable(quantized = false): Float32Array {
  const n = SPECIAL.length + WORDS.length;
  const table = new Float32Array(n * TINY_DIMENSIONS);
  for (let id = 0; id < n; id++) {
    for (let d = 0; d < TINY_DIMENSIONS; d++) table[id * TINY_DIMENSIONS + d] = Math.sin(1 + id * 1.7 + d * 0.9) * (1 + (id % 3) * 0.25);
  }
  if (!quantized) return table;
  const scale = 1.5 / 127; // |E| <= 1.5, so this is the symmetric int8 grid
  return table.map((x) => Math.round(x / scale) * scale);
}

function graph(table: Float32Array): OnnxGraph {
  const seq = ['batch_size', 'sequence_length'];
  return {
    name: 'tiny-bert',
    initializers: [{ name: 'word_embeddings', dims: [table.length / TINY_DIMENSIONS, TINY_DIMENSIONS], floats: table }],
    nodes: [
      { name: 'lookup', opType: 'Gather', inputs: ['word_embeddings', 'input_ids'], outputs: ['embedded'], intAttributes: {} },
      { name: 'activation', opType: 'Tanh', inputs: ['embedded'], outputs: ['last_hidden_state'] },
    ],
    inputs: [
      { name: 'input_ids', elemType: 'int64', shape: seq },
      { name: 'attention_mask', elemType: 'int64', shape: seq },
      { name: 'token_type_ids', elemType: 'int64', shape: seq },
    ],
    outputs: [{ name: 'last_hidden_state', elemType: 'float', shape: [...seq, TINY_DIMENSIONS] }],
  };
}

function tokenizerJson(): unknown {
  const special = (content: string) => ({ id: TINY_VOCAB[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [TINY_VOCAB['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [TINY_VOCAB['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: TINY_VOCAB },
  };
}

/**
 * Writes the model folder and returns its path.
 *
 * @example const dir = await writeTinyBertModel(join(tmp, 'tiny-bert'));
 */
export async function writeTinyBertModel(dir: string): Promise<string> {
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const config = {
    model_type: 'bert', architectures: ['BertModel'], hidden_size: TINY_DIMENSIONS, vocab_size: Object.keys(TINY_VOCAB).length,
    num_attention_heads: 1, num_hidden_layers: 0, max_position_embeddings: 64, type_vocab_size: 2, pad_token_id: 0,
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 64,
    cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]',
  };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson()));
  await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
  await writeFile(join(dir, 'onnx', 'model.onnx'), encodeOnnxModel(graph(tinyEmbeddingTable(false)), 17));
  await writeFile(join(dir, 'onnx', 'model_quantized.onnx'), encodeOnnxModel(graph(tinyEmbeddingTable(true)), 17));
  return dir;
}

/**
 * The vector the tiny model must produce for a sequence of token ids (already including [CLS]/[SEP]):
 * mean over tokens of tanh(E[id]), L2-normalised.
 */
export function tinyExpectedVector(ids: number[], quantized = false): Float32Array {
  const table = tinyEmbeddingTable(quantized);
  const v = new Float32Array(TINY_DIMENSIONS);
  for (const id of ids) for (let d = 0; d < TINY_DIMENSIONS; d++) v[d] += Math.tanh(table[id * TINY_DIMENSIONS + d]) / ids.length;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
