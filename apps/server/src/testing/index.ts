// Test helpers shared with tests/ (fresh databases, a seeded server).
export { createTestDatabase, databaseKindsUnderTest, type TestDatabase } from './test-database';
export { createTestServer, TEST_PASSWORD, type TestServer, testClock } from './test-server';
export { type BrowserPushKeys, browserPushKeys, decryptPushBody } from './web-push-keys';
