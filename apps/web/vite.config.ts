import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { visualizer } from 'rollup-plugin-visualizer';
import { defineConfig, type Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * Prints the gzipped size of the JavaScript a first visit must load (entry
 * chunk + its static imports) and fails the build above `budgetKb`. An
 * unminified build (`vite build --minify false`, for reading CPU profiles) is
 * only reported on.
 */
function reportInitialJs(budgetKb: number): Plugin {
  let minified = true;
  return {
    name: 'fieldsync-initial-js-size',
    apply: 'build',
    configResolved(config) {
      minified = config.build.minify !== false;
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const entry = chunks.find((chunk) => chunk.isEntry && chunk.facadeModuleId?.endsWith('index.html'));
      if (!entry) return;
      const seen = new Set<string>();
      const visit = (fileName: string) => {
        if (seen.has(fileName)) return;
        seen.add(fileName);
        const chunk = chunks.find((candidate) => candidate.fileName === fileName);
        for (const imported of chunk?.imports ?? []) visit(imported);
      };
      visit(entry.fileName);
      const bytes = [...seen].reduce((total, fileName) => {
        const chunk = chunks.find((candidate) => candidate.fileName === fileName);
        return total + (chunk ? gzipSync(chunk.code).length : 0);
      }, 0);
      const kb = bytes / 1024;
      const summary = `initial JS ${kb.toFixed(1)} KB gzipped (${seen.size} chunks)`;
      // Over budget fails the build: a heavier first load is a decision, not an accident.
      if (kb > budgetKb && minified) this.error(`${summary} is over the ${budgetKb} KB budget`);
      console.log(`\n  ${summary} — ${kb > budgetKb ? 'over' : 'within'} the ${budgetKb} KB budget\n`);
    },
  };
}

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Fieldsync',
        short_name: 'Fieldsync',
        description: 'Field-service jobs that work with no signal.',
        theme_color: '#0f4c5c',
        background_color: '#0f4c5c',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest}'],
        // The password-strength dictionaries load on demand; offline the meter judges by length.
        globIgnores: ['**/zxcvbn-estimator-*.js'],
      },
      devOptions: { enabled: false },
    }),
    reportInitialJs(110),
    // `pnpm analyze` (BUNDLE_REPORT=1): what every chunk is made of, module by module, gzipped,
    // as a treemap in bundle-report.html beside dist/ (not in it: the service worker would cache it).
    process.env.BUNDLE_REPORT
      ? visualizer({ filename: 'bundle-report.html', template: 'treemap', gzipSize: true, brotliSize: true })
      : null,
    // Writes `name.br` (Brotli, max quality) and `name.gz` (gzip -9) next to each text file, keeping the
    // original; the server picks one by Accept-Encoding. Under 1 KB the saving is not worth a file. The
    // precache globs above end in the plain extensions, so the compressed copies stay out of sw.js.
    compression({
      algorithms: ['brotliCompress', 'gzip'],
      include: /\.(js|mjs|css|html|svg|json|webmanifest)$/,
      threshold: 1024,
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkImportMap: true,
    rolldownOptions: {
      output: {
        // Libraries in chunks of their own: their names (hashes) change only when they do, so an
        // app update downloads the app's changed chunks, not React or Dexie again.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            // zod-jitless rides with zod: it must run before any chunk builds a schema (see the file).
            { name: 'data', test: /node_modules[\\/](dexie|dexie-react-hooks|zod)[\\/]|src[\\/]zod-jitless/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
