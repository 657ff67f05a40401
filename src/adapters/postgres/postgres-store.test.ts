import { afterEach, describe } from 'vitest';
import { openStore } from '../../storage/registry.js';
import { dropTestSchemas, postgresAvailable, withTestSchema } from '../../testkit/postgres.js';
import { storeConformanceSuite } from '../../testkit/store-conformance.js';

// Outside CI a server that does not answer skips these tests (with a printed reason); with CI=true it fails them.
const available = await postgresAvailable();

// One fresh schema per test (created by the store), dropped after the suite's own afterEach closed the store.
afterEach(dropTestSchemas);

describe.skipIf(!available)('postgres store', () => {
  storeConformanceSuite('postgres (schema per test)', () => openStore(withTestSchema()));
});
