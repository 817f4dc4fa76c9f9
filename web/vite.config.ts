// The console's build: web/ is the root, the output goes to web/dist (git-ignored), which the API
// serves at `/` (api/console.ts). Assets carry content hashes in their names, so the server can
// cache them for a year. JSX is compiled by Vite's own transformer (no plugin: React's plugin only
// adds fast refresh, and its current release needs a Babel pre-release).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
    // The studio's lazy chunk carries CodeMirror, the policy checker and the simulator (about
    // 730 kB, 220 kB gzipped); no other screen loads it, so the default 500 kB warning is noise.
    chunkSizeWarningLimit: 800,
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
