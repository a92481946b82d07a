import { defineConfig } from 'vite';

/** The preload runs sandboxed, where it cannot load modules: bundle it into one CommonJS file. */
export default defineConfig({
  build: {
    outDir: 'dist/preload',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    lib: {
      entry: 'src-main/preload/preload.ts',
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: {
      external: ['electron'],
    },
  },
});
