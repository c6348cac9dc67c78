import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The admin console: a static single-page app the host serves at `/` (dist/apps/console).
// `nx serve console` runs Vite's dev server with the admin API proxied to a host on :3000.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/console', import.meta.url)),
    emptyOutDir: true,
    // No inline scripts: the host's Content-Security-Policy allows only its own files.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  server: { port: 4200, proxy: { '/api': 'http://localhost:3000' } },
});
