/**
 * electron-vite: main process (window + the backend utility process + the inference worker),
 * sandboxed preload (CommonJS, dependencies bundled), and the React renderer. `npm run build`
 * also produces the renderer that browser mode serves.
 */
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The store's SQL migrations are read from disk next to the bundle (engine/store/db.ts). */
const copyMigrations: Plugin = {
  name: 'originals-copy-migrations',
  writeBundle() {
    cpSync(r('engine/store/migrations'), r('out/main/migrations'), { recursive: true });
    cpSync(r('electron/main/store/migrations'), r('out/main/studio-migrations'), { recursive: true });
    // The local-feature layer's visual vocabulary (engine/image/local/vocab-file.ts).
    cpSync(r('engine/data'), r('out/main/data'), { recursive: true });
    // The local marketplace (started when no marketplace URL is set) runs in the backend process.
    cpSync(r('server/migrations'), r('out/main/server-migrations'), { recursive: true });
  },
};

export default defineConfig({
  main: {
    plugins: [copyMigrations],
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: r('electron/main/index.ts'),
          backend: r('electron/main/backend.ts'),
          // The engine starts ./worker.js next to itself when it exists (engine/semantic/embedder.ts).
          worker: r('engine/semantic/worker.ts'),
          // The local-feature pool starts ./local-features-worker.js next to itself (engine/image/local/pool.ts).
          'local-features-worker': r('engine/image/local/local-features-worker.ts'),
          // The media pool starts ./media-file-worker.js next to itself (engine/media-pool.ts).
          'media-file-worker': r('engine/media-file-worker.ts'),
          // The media index's background build starts ./postings-worker.js next to itself (engine/media/postings-build.ts).
          'postings-worker': r('engine/media/postings-worker.ts'),
          // A large library's background check starts ./integrity-worker.js next to itself (engine/store/integrity.ts).
          'integrity-worker': r('engine/store/integrity-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: r('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: r('renderer'),
    plugins: [react()],
    resolve: { alias: { '@shared': r('shared') } },
    build: {
      outDir: r('out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: r('renderer/index.html') },
    },
  },
});
