/**
 * The behaviour every Store adapter must show. Each adapter's test file runs it against a fresh store per test:
 *
 * @example storeConformanceSuite('sqlite', () => openStore('sqlite://:memory:'));
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../storage/store.js';
import { describeBlobs } from './store-conformance/blobs.js';
import { describeBulk } from './store-conformance/bulk.js';
import { describeCarePreferences } from './store-conformance/care-preferences.js';
import { describeEventCounts } from './store-conformance/event-counts.js';
import { describeEvents } from './store-conformance/events.js';
import { describeLeases } from './store-conformance/leases.js';
import { describeListing } from './store-conformance/listing.js';
import { describeRecords } from './store-conformance/records.js';
import { describeProfiles } from './store-conformance/profiles.js';
import { describeScenarios } from './store-conformance/scenarios.js';

/** Registers the conformance tests (vitest describe/it) for a store; `open` must return a new, empty store. */
export function storeConformanceSuite(name: string, open: () => Promise<Store>): void {
  describe(`Store conformance: ${name}`, () => {
    let current: Store | undefined;
    const store = (): Store => {
      if (!current) throw new Error('store not opened (used outside a test?)');
      return current;
    };
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    describeRecords(store);
    describeListing(store);
    describeEvents(store);
    describeEventCounts(store);
    describeBulk(store);
    describeBlobs(store);
    describeScenarios(store);
    describeProfiles(store);
    describeCarePreferences(store);
    describeLeases(store);
  });
}
