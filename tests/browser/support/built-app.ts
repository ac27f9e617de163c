import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** apps/web/dist, which `npm test` builds before vitest runs. */
export const webDist = join(import.meta.dirname, '../../../apps/web/dist');

/** Fails with a clear message when the web app has not been built. */
export function assertBuiltApp(): void {
  for (const file of ['index.html', 'sw.js']) {
    if (!existsSync(join(webDist, file))) {
      throw new Error(
        `The web app is not built (${join(webDist, file)} is missing). ` +
          'Run `node scripts/pnpm.mjs --filter @fieldsync/web build` first (`npm test` does it for you).',
      );
    }
  }
}
