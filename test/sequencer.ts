/**
 * Longest test files first, so the suite does not end with one slow file running alone on
 * a worker. Vitest's own order does this from the timings it keeps in node_modules/.vite,
 * which a fresh clone (CI) does not have: there it runs larger files first, and the real-
 * gemini contract files (~40 s each) ended the run, ~24 s later than in timing order
 * (measured: npm test 182 s without timings, 158 s with). Timings come from vitest's cache
 * when it has them, else from test/durations.json (scripts/test-durations.mjs writes it).
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import durations from './durations.json' with { type: 'json' };

const committed: Record<string, number> = durations;

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (spec: TestSpecification) => {
      const file = relative(root, spec.moduleId);
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`);
      return { failed: cached?.failed === true, duration: cached ? cached.duration / 1000 : (committed[file] ?? 0) };
    };
    return [...files]
      .map((spec) => ({ spec, ...seconds(spec) }))
      .sort(
        (a, b) =>
          // Projects one after another, as vitest does; a file that failed last time first.
          a.spec.project.name.localeCompare(b.spec.project.name) ||
          Number(b.failed) - Number(a.failed) ||
          b.duration - a.duration,
      )
      .map(({ spec }) => spec);
  }
}
