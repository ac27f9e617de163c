/**
 * `pnpm bench:update` — what an app update costs a phone: the app is built
 * twice, the second time with one component's text changed (a transform, no
 * source edit), and the files whose names differ are what the service worker
 * downloads. Prints their Brotli bytes beside the whole app's.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'vite';

const root = join(import.meta.dirname, '..');
const CHANGED_MODULE = 'src/app/contractor/PushPromptCard.tsx';

/** Changes one sentence of one component, as a typical small release would. */
function oneComponentChange(): Plugin {
  return {
    name: 'bench-one-component-change',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith(CHANGED_MODULE)) return undefined;
      return code.replace('Your phone asks first.', 'Your phone asks you first.');
    },
  };
}

async function buildInto(outDir: string, plugins: Plugin[]) {
  await build({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'silent',
    plugins,
    build: { outDir, emptyOutDir: true },
  });
}

/** Files a phone caches (the precached ones: not the on-demand password dictionaries), with their Brotli size. */
function shippedFiles(outDir: string): Map<string, number> {
  const files = new Map<string, number>();
  for (const name of readdirSync(join(outDir, 'assets'))) {
    if (!/\.(js|css)$/.test(name) || name.startsWith('zxcvbn-estimator')) continue;
    const path = join(outDir, 'assets', name);
    let size = statSync(path).size;
    try {
      size = statSync(`${path}.br`).size;
    } catch {
      // Below the compression threshold: sent as it is.
    }
    files.set(name, size);
  }
  return files;
}

const work = mkdtempSync(join(tmpdir(), 'fieldsync-update-bench-'));
try {
  const before = join(work, 'before');
  const after = join(work, 'after');
  await buildInto(before, []);
  await buildInto(after, [oneComponentChange()]);
  const old = shippedFiles(before);
  const next = shippedFiles(after);
  const downloaded = [...next].filter(([name]) => !old.has(name));
  const total = [...next.values()].reduce((sum, size) => sum + size, 0);
  const changed = downloaded.reduce((sum, [, size]) => sum + size, 0);
  const indexHtml = statSync(join(after, 'index.html')).size;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`One-component change (${CHANGED_MODULE}):`);
  for (const [name, size] of downloaded) console.log(`  ${name.padEnd(40)} ${kb(size)} Brotli`);
  console.log(`  + index.html ${kb(indexHtml)} (uncompressed size)`);
  console.log(
    `  ${downloaded.length} of ${next.size} files, ${kb(changed)} of ${kb(total)} Brotli ` +
      `(${((changed / total) * 100).toFixed(1)} % of the app)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
