import { storeConformanceSuite } from '../../testkit/store-conformance.js';
import { MemoryStore } from './memory-store.js';

storeConformanceSuite('memory', async () => new MemoryStore());
