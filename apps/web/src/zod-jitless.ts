/**
 * Imported first by `main.tsx`, before any schema is built, and bundled in
 * zod's own chunk (vite.config.ts) so it runs before any other chunk does. The server's
 * Content-Security-Policy forbids eval; unless told `jitless`, zod probes for
 * eval with `new Function` as its first object schema is built. The throw is
 * caught and zod takes the same plain path, but the browser still reports a
 * CSP violation for it.
 */
import { z } from 'zod';

z.config({ jitless: true });
