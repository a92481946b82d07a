import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: 'src-renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  test: {
    root: '.',
    projects: [
      {
        test: {
          name: 'unit',
          root: '.',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // The renderer's components and hooks, rendered with Testing Library in jsdom (the React
        // plugin comes from the config above).
        test: {
          name: 'components',
          root: '.',
          include: ['test/components/**/*.test.tsx'],
          environment: 'jsdom',
          setupFiles: ['test/components/setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          root: '.',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Each file starts its own servers; two at a time fits a 2-core machine.
          maxWorkers: 2,
          // Totals of the secret checks every data folder and renderer payload went through.
          globalSetup: ['test/support/secret-scan-summary.ts'],
        },
      },
    ],
  },
});
