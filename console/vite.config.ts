// The console's build (docs/decisions/0025-web-console.md): served by Parley itself under /console/,
// from dist/console-app/ (scripts/build-if-stale.mjs runs this build when console/ changed).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/console/',
  plugins: [react()],
  // No public/ folder: everything the console needs is imported, so it is hashed.
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/console-app', import.meta.url)),
    emptyOutDir: true,
    // The build reports the initial JavaScript's gzipped size itself (build-if-stale.mjs).
    reportCompressedSize: false,
    manifest: true,
    sourcemap: false,
    target: 'es2022',
  },
});
