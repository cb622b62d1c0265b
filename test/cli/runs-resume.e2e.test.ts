import { afterEach, describe, expect, it } from 'vitest';
import { makeRunsResume } from '../../src/cli/handlers/runs.ts';
import { readRunFile, readRunJson } from '../../src/runs/store.ts';
import { executeAsRun } from '../../src/workflows/fanout/execute.ts';
import { planQa, qaCalls, storeQaReport, type QaReport } from '../../src/workflows/mao/qa.ts';
import { fakeContext, fakeProvider, testConfig } from '../helpers/fake-invoke.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import { configToml, runHandler } from './handler-harness.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const reply = (score: number) =>
  JSON.stringify({
    score,
    findings: [{ severity: 'low', file: 'a.ts', line: 1, issue: `issue at ${score}`, recommendation: null }],
  });

describe('mm runs resume of a qa run', () => {
  it('rebuilds qa.md and the stored score from every dimension, re-run ones included', async () => {
    repo = tempRepo();
    repo.write('.claude/config/multi-model.toml', configToml({}));
    repo.write('.gitignore', '.claude/\n');
    repo.commitAll('base');
    const { config, registry } = testConfig();
    const down = fakeProvider((_t, r) => (r.task === 'qa:security' ? { status: 'unavailable' } : { text: reply(80) }));
    const calls = qaCalls(
      planQa(config, registry).map((a) => ({ ...a, fallbacks: [] })),
      'the diff',
    );
    const first = await executeAsRun(
      'qa',
      calls,
      {
        invoke: down.invoke,
        ctx: fakeContext(config, registry, repo.dir),
        config,
        registry,
        cwd: repo.dir,
        root: repo.dir,
      },
      'qa',
    );
    const before = storeQaReport(repo.dir, first.runId, first.results, first.allRecords);
    expect(before.coverage).toBe(0.9);
    expect(before.score).toBe(80);

    const up = fakeProvider(() => ({ text: reply(30) }));
    const r = await runHandler('runs resume', makeRunsResume(up.invoke), [first.runId, '--yes'], repo.dir);
    expect(r.code).toBe(0);
    expect(up.calls.map((c) => c.request.task)).toEqual(['qa:security']); // only the failed dimension
    const stored = readRunJson<QaReport>(repo.dir, first.runId, 'outputs/qa.json')!;
    expect(stored.coverage).toBe(1);
    expect(stored.score).toBe((90 * 80 + 10 * 30) / 100);
    expect(stored.dimensions.every((d) => d.ok)).toBe(true);
    expect(readRunFile(repo.dir, first.runId, 'outputs/qa.md')).toContain('issue at 30');
    expect(r.out).toContain('issue at 30');
  });
});
