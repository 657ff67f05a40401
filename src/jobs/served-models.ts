import { EngineError } from '../core/errors.js';
import { AppendedIds } from '../core/ids.js';
import type { ModelBundle } from '../models/model-bundle.js';
import type { Model } from '../models/model.js';
import { AddedVectorLog } from '../models/semantic/added-vectors.js';
import { hasTextVectors, type TextVectors } from '../models/semantic/text-query.js';
import type { EmbeddingRecord } from '../storage/store.js';

/**
 * What a request is served from: the trained bundle as stored (never changed) plus the items stored after its
 * training, placed in its semantic space from their stored embeddings. It has the bundle's shape, so every stage reads
 * `items` (trained then added) and `models.semantic` (with the added items) without knowing about the overlay.
 * Immutable: a request keeps the state it started with while newer states are swapped in.
 */
export interface ServedModels extends ModelBundle {
  /** The bundle as trained and stored. */
  trained: ModelBundle;
  /** Items stored after training in this state: indexes trainedItems .. items.size - 1. */
  addedItems: number;
}

type TextModel = Model<object> & TextVectors;

/**
 * The items stored after one bundle's training, growing as new items are stored. Each `add` derives a NEW served
 * state; ids and vectors live in append-only logs shared by the states (see AddedVectorLog for why), so adding one
 * item costs O(dims), not a copy of the catalogue's vectors. Only items with a stored embedding of the provider enter
 * (without text there is nothing to place them by); a trained item keeps its trained vector until the next training.
 *
 * @example const added = new AddedItems(bundle); const state = added.add(await store.getEmbeddings(providerId));
 */
export class AddedItems {
  private readonly ids: AppendedIds;
  private readonly semantic: TextModel | undefined;
  private readonly log: AddedVectorLog | undefined;
  private state: ServedModels;

  constructor(readonly bundle: ModelBundle) {
    this.ids = new AppendedIds(bundle.items);
    const semantic = bundle.models.semantic;
    this.semantic = semantic && hasTextVectors(semantic) ? semantic : undefined;
    // The space's size, from the public way in: an empty history's vector (zeros of the model's dimensions).
    const dims = this.semantic?.userVector({ indices: new Int32Array(0), values: new Float32Array(0) }).length;
    this.log = dims === undefined ? undefined : new AddedVectorLog(bundle.trainedItems, dims);
    this.state = { ...bundle, trained: bundle, addedItems: 0 };
  }

  /** The newest served state. */
  get current(): ServedModels {
    return this.state;
  }

  /** Whether items can be added at all (the bundle has a text-vector semantic model). */
  get accepts(): boolean {
    return this.semantic !== undefined;
  }

  /**
   * Appends the items of `records` the state does not serve yet and returns the new state (the same object when none
   * was new). Records whose vector does not fit the model's space (another provider's size) are counted in `skipped`.
   */
  add(records: readonly EmbeddingRecord[]): { state: ServedModels; added: number; skipped: number } {
    const { semantic, log } = this;
    let added = 0;
    let skipped = 0;
    if (!semantic || !log) return { state: this.state, added, skipped };
    for (const r of records) {
      if (this.ids.indexOf(r.itemId) !== undefined) continue;
      const index = this.bundle.trainedItems + this.ids.count;
      let vector: Float32Array;
      try {
        vector = semantic.itemTextVector(index, r.vector); // INVALID_INPUT for a vector of another size
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        skipped++;
        continue;
      }
      if (vector.length !== log.dims) {
        skipped++;
        continue;
      }
      log.append(vector);
      this.ids.append(r.itemId);
      added++;
    }
    if (added > 0) {
      const models = { ...this.bundle.models, semantic: semantic.withAddedItems(log.snapshot()) };
      this.state = { ...this.bundle, items: this.ids.snapshot(), models, trained: this.bundle, addedItems: this.ids.count };
    }
    return { state: this.state, added, skipped };
  }
}
