import { defineConfig } from 'vitest/config';

/**
 * One run for the whole repo. Projects pick the world by file suffix:
 * `*.test.ts` plain Node; `*.pg.test.ts` real Postgres and PGlite;
 * `*.browser.test.ts` real Chromium against the built app.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['packages/**/*.test.ts', 'apps/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.pg.test.ts', '**/*.browser.test.ts', '**/dist/**'],
        },
      },
      {
        test: {
          name: 'db',
          sequence: { groupOrder: 1 },
          include: ['apps/**/*.pg.test.ts', 'tests/**/*.pg.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // PGlite instances are heavy; keep the 2-core machines from thrashing.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'browser',
          sequence: { groupOrder: 2 },
          include: ['tests/**/*.browser.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
