import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Contract tests spawn real CLIs; two cores are the CI machine's budget.
    maxWorkers: 2,
  },
});
