import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^capa$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      // package.json `imports` point at dist/; tests run the Node platform modules from source
      { find: /^#platform\/(.*)$/, replacement: fileURLToPath(new URL('./src/platform/node/$1.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
