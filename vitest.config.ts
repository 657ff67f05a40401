import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Copies every log line of the run to one file and fails the run if one holds planted personal data.
    globalSetup: ['test/log-tap.global.ts'],
    // Two cores: forks keep native modules (better-sqlite3) isolated per file.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
