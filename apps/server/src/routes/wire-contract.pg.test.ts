import { randomUUID } from 'node:crypto';
import { pullResponseSchema } from '@fieldsync/protocol';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { databaseKindsUnderTest } from '../testing/test-database';
import { createTestServer, type TestServer } from '../testing/test-server';

const kinds = await databaseKindsUnderTest();

describe.each(kinds)('pulled rows match the shared wire schemas on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(kind);
  });
  afterAll(() => server.close());

  test.each(['dispatcher1@example.com', 'contractor1@example.com'])('every row pulled by %s parses', async (email) => {
    const session = await server.login(email);
    const clientId = randomUUID();
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const response = await server.call(
        'GET',
        `/api/sync/pull?clientId=${clientId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        { token: session.accessToken },
      );
      expect(response.status).toBe(200);
      const parsed = pullResponseSchema.safeParse(response.json);
      expect(parsed.success ? [] : parsed.error.issues.slice(0, 3)).toEqual([]);
      // No secrets and no tenant column on the wire.
      expect(JSON.stringify(response.json)).not.toMatch(/passwordHash|orgId|\$argon2/);
      pages++;
      cursor = response.json.cursor;
      if (!response.json.hasMore) break;
    }
    expect(pages).toBeGreaterThan(0);
  });
});
