import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard builds into dist/web, which the server serves at / (src/server/dashboard.ts). Asset paths are absolute
// (base '/') so index.html served for any non-API path (the server's fallback) still finds them.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // ECharts is imported piece by piece (src/charts/echarts.ts); a warning above this size means a whole-library import slipped in.
    chunkSizeWarningLimit: 700,
  },
});
