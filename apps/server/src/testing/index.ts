// Test helpers shared with tests/ (fresh databases, a seeded server).

export { inPieces } from '../uploads/in-pieces';
export { createPostgresByteStore } from '../uploads/postgres-byte-store';
export { PIECE_BYTES } from '../uploads/tus-attachment-store';
export { createTestDatabase, databaseKindsUnderTest, type TestDatabase } from './test-database';
export { createTestServer, TEST_PASSWORD, type TestServer, testClock } from './test-server';
export { type BrowserPushKeys, browserPushKeys, decryptPushBody } from './web-push-keys';
