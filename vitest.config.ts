import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/sequencer.ts';

/** Prompt templates (`*.md` beside their code) import as their text, as esbuild's text loader does in the bundle. */
const markdownText = {
  name: 'markdown-text',
  enforce: 'pre' as const,
  load(id: string) {
    return id.endsWith('.md') ? `export default ${JSON.stringify(readFileSync(id, 'utf8'))};` : null;
  },
};

/**
 * Two projects: `unit` (in-process, no child processes, no built CLI) and `contract`
 * (real CLIs against the loopback fakes, the built `dist/mm.js`, git and stub processes).
 * The file name says which: `*.contract.test.ts` and `*.e2e.test.ts` are contract.
 * `npm test` runs both; `npm run test:unit` only the first.
 */
const CONTRACT = ['test/**/*.contract.test.ts', 'test/**/*.e2e.test.ts'];

export default defineConfig({
  plugins: [markdownText],
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Four files at a time on the 2-core CI machine: contract tests spend much of their time
    // waiting on real CLIs and fake servers, and more workers fill those waits. Measured on
    // the idle machine, cold check caches, no vitest timings (as in a fresh clone), this tree:
    // npm test 171–182 s with 3 workers (four runs), 134–192 s with 4 (six runs, CI=true ones
    // the slowest; the machine's own speed varied that hour); 240 s with 2 on an older tree.
    maxWorkers: 4,
    // Longest files first, also in a fresh clone without vitest's timings (test/sequencer.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        extends: true,
        // Unit files share one module graph per worker (no per-file re-import): about half
        // the project's time was importing the same src/ modules again for every file.
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: CONTRACT, isolate: false },
      },
      {
        extends: true,
        // One module graph per worker here too (files run one after another in a worker):
        // re-importing vitest and src/ for each of ~70 files cost about 0.4 CPU-s a file.
        // No contract file mocks modules or changes process-wide state, so nothing leaks.
        test: { name: 'contract', include: CONTRACT, globalSetup: ['test/global-setup.ts'], isolate: false },
      },
    ],
  },
});
