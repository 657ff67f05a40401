import type { ItemId } from '../../../core/types.js';
import type { ModelBundle } from '../../../models/model-bundle.js';
import type { Store } from '../../../storage/store.js';
import type { ItemPredicate } from '../../filters/compile.js';
import type { RequestContext } from '../../stage.js';

/** What "items like this" are found by: who chose them (the collaborative model) or what they say (item text embeddings). */
export type SimilarBasis = 'collaborative' | 'text';

/** Everything one "items like this" request needs, built once before its first stage. */
export interface SimilarContext extends RequestContext {
  itemId: ItemId;
  /** The item's index in the served bundle (undefined when the bundle does not know it). */
  index?: number;
  /** What the reasons call the item: its title, else its id. */
  label: string;
  count: number;
  bundle: ModelBundle;
  store: Store;
  /** Never returned (the request's exclude list); the item itself is never returned either. */
  exclude: ReadonlySet<ItemId>;
  /** The request's business rules (filter and scenario), when any. */
  keepItem?: ItemPredicate;
}
