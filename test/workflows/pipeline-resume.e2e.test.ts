/**
 * `mm runs resume` of a pipeline run: the answers the run holds are kept, only the roles
 * without one are asked (and what was built on them), and integration runs again.
 * Scripted models; real git clones for the implementation and integration phases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InvokeRequest } from '../../src/providers/types.ts';
import { planPipeline } from '../../src/workflows/pipeline/plan.ts';
import { runPipeline, type PipelineOptions } from '../../src/workflows/pipeline/run.ts';
import { makeRunsResume } from '../../src/cli/handlers/runs.ts';
import { fakeContext, fakeProvider, testConfig, type FakeReply } from '../helpers/fake-invoke.ts';
import { runHandler } from '../cli/handler-harness.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import { writeProjectConfig } from '../helpers/invoke-context.ts';
import { GOOD_SPEC } from '../helpers/code-spec.ts';

const ANSWERS: Record<string, string> = {
  architect: 'architect: put the flag in src/feature.ts',
  security: 'security: nothing secret here',
  critic: 'critic: what if the flag is missing?',
  synthesizer: `\`\`\`markdown\n${GOOD_SPEC}\`\`\`\n`,
  implementer: '```ts\n// file: src/feature.ts\nexport const feature = "simple";\n```\n',
  optimizer: '```ts\n// file: src/feature.ts\nexport const feature = "fast";\n```\n',
  reviewer: 'reviewer: both fine',
};
const roleOf = (request: InvokeRequest) => /Pipeline role: (\w+)/.exec(request.prompt)?.[1] ?? '?';

/** Models that answer every role but those in `failing`; `asked` lists the roles in call order. */
function models(failing: string[] = []) {
  const asked: string[] = [];
  const fake = fakeProvider((_target, request): FakeReply => {
    const role = roleOf(request);
    asked.push(role);
    return failing.includes(role) ? { status: 'failed' } : { text: ANSWERS[role] ?? 'nothing' };
  });
  return { invoke: fake.invoke, asked };
}

const ENV = { ...process.env, ANTHROPIC_API_KEY: 'fake-anthropic-key' };
let repo: TempRepo;
afterEach(() => repo?.cleanup());

function setup() {
  repo = tempRepo();
  repo.write('src/util.ts', 'export const util = 1;\n');
  repo.commitAll('base');
  const { config, registry } = testConfig({ codex_enabled: true, gemini_enabled: true });
  config.develop.verify = ['test -f src/feature.ts'];
  const plan = planPipeline('add a feature flag', config, registry, ENV);
  const options = (invoke: PipelineOptions['invoke']): PipelineOptions => ({
    invoke,
    ctx: fakeContext(config, registry, repo.dir),
    config,
    registry,
    cwd: repo.dir,
    root: repo.dir,
    env: ENV,
    template: '# Code Spec — [Brief Title]\n',
  });
  return { plan, options };
}

describe('pipeline resume', () => {
  it('asks only the role that failed and the reviewer that read it; keeps the rest; integrates again', async () => {
    const { plan, options } = setup();
    const first = models(['optimizer']);
    const report = await runPipeline(plan, options(first.invoke));
    expect(report.candidates.map((c) => c.role)).toEqual(['implementer']);

    const again = models();
    const resumed = await runPipeline(plan, options(again.invoke), report.run_id);
    expect(again.asked).toEqual(['optimizer', 'reviewer']);
    expect(resumed.run_id).toBe(report.run_id);
    expect(resumed.candidates.map((c) => c.role).sort()).toEqual(['implementer', 'optimizer']);
    const kept = resumed.roles.filter((r) => r.kept).map((r) => r.role);
    expect(kept.sort()).toEqual(['architect', 'critic', 'implementer', 'security', 'synthesizer']);
    const stored = JSON.parse(
      readFileSync(join(repo.dir, '.claude/mm/runs', report.run_id, 'outputs/report.json'), 'utf8'),
    );
    expect(stored.candidates).toHaveLength(2);
  });

  it('a run stopped at the synthesis asks the synthesiser and everything after it, not the analyses', async () => {
    const { plan, options } = setup();
    const first = models(['synthesizer']);
    const stopped = await runPipeline(plan, options(first.invoke)).catch((e: Error) => e);
    expect(stopped).toBeInstanceOf(Error);
    const runId = /\(run (\S+)\)$/.exec((stopped as Error).message)![1]!;

    const again = models();
    const resumed = await runPipeline(plan, options(again.invoke), runId);
    expect(again.asked.sort()).toEqual(['implementer', 'optimizer', 'reviewer', 'synthesizer']);
    expect(resumed.recommended).not.toBeNull();
  });

  it('a resume whose synthesis fails leaves no stale spec or answers for the next resume to keep', async () => {
    const { plan, options } = setup();
    const report = await runPipeline(plan, options(models(['critic']).invoke));
    // The critic is asked again, so the spec is stale; its new synthesis fails.
    const second = models(['synthesizer']);
    expect(await runPipeline(plan, options(second.invoke), report.run_id).catch((e: Error) => e)).toBeInstanceOf(Error);
    // The critic, then the synthesiser (and its fallback model, which fails too).
    expect(second.asked[0]).toBe('critic');
    expect(new Set(second.asked.slice(1))).toEqual(new Set(['synthesizer']));
    // Built on the analyses as they are now, not on the first run's spec.
    const third = models();
    await runPipeline(plan, options(third.invoke), report.run_id);
    expect(third.asked.sort()).toEqual(['implementer', 'optimizer', 'reviewer', 'synthesizer']);
  });

  it('mm runs resume <pipeline run>: asks the missing role through the command; once all answered, asks nothing', async () => {
    const { plan, options } = setup();
    writeProjectConfig(
      repo.dir,
      '[models]\ncodex_enabled = true\ngemini_enabled = true\n[develop]\nverify = ["test -f src/feature.ts"]\n',
    );
    const report = await runPipeline(plan, options(models(['optimizer']).invoke));
    const again = models();
    const resume = (invoke: PipelineOptions['invoke']) =>
      runHandler('runs resume', makeRunsResume(invoke), [report.run_id, '--yes', '--json'], repo.dir, ENV);
    const r = await resume(again.invoke);
    expect(r.code, r.err).toBe(0);
    expect(again.asked).toEqual(['optimizer', 'reviewer']);
    expect(
      r
        .json()
        .candidates.map((c: { role: string }) => c.role)
        .sort(),
    ).toEqual(['implementer', 'optimizer']);

    const third = models();
    const done = await resume(third.invoke);
    expect(done.code).toBe(0);
    expect(done.json()).toMatchObject({ resumed: false, reason: 'every role already answered' });
    expect(third.asked).toEqual([]);
  });
});
