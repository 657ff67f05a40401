import { openStore } from '../../storage/registry.js';
import { storeConformanceSuite } from '../../testkit/store-conformance.js';

storeConformanceSuite('sqlite (:memory:)', () => openStore('sqlite://:memory:'));
