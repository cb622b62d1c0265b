import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { printResults } from '../../src/cli/fanout-output.ts';
import { readRun, readRunJson } from '../../src/runs/store.ts';
import { executeAsRun, materialize, pendingCalls, resumeRun } from '../../src/workflows/fanout/execute.ts';
import { planCompetitive } from '../../src/workflows/fanout/plan.ts';
import { fakeContext, fakeProvider, testConfig } from '../helpers/fake-invoke.ts';
import { tempDir } from '../helpers/repo.ts';

const { config, registry } = testConfig();
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('fan-out as a stored run', () => {
  it('prints the answer file under the name it was stored as (labels with spaces or slashes)', async () => {
    const root = tempDir();
    dirs.push(root);
    const fake = fakeProvider(() => ({ text: 'an answer' }));
    const opts = { invoke: fake.invoke, ctx: fakeContext(config, registry, root), config, registry, cwd: root, root };
    const calls = planCompetitive({ prompt: 'implement x', label: 'retry policy/v2' }, [
      'gpt-5.3-codex',
      'gemini-3.1-pro',
    ]);
    const out = await executeAsRun('fanout', calls, opts, 'test');
    const lines: string[] = [];
    printResults({ stdout: (t) => lines.push(t), stderr: () => {}, json: false }, out, null);
    const printed = lines.flatMap((l) => /→ (\S+)$/.exec(l)?.[1] ?? []);
    expect(printed).toHaveLength(2);
    const stored = readRun(root, out.runId)!.files;
    for (const path of printed) expect(stored).toContain(path);
  });

  it('stores inputs, results and answers; materialises candidates; resume re-runs only the failures', async () => {
    const root = tempDir();
    dirs.push(root);
    let geminiUp = false;
    const fake = fakeProvider((t) =>
      t === 'gemini-3.1-pro' && !geminiUp
        ? { status: 'unavailable' }
        : {
            text:
              t === 'gpt-5.3-codex'
                ? '```diff\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n```'
                : '### `src/x.ts`\n```ts\nexport {};\n```',
          },
    );
    const opts = { invoke: fake.invoke, ctx: fakeContext(config, registry, root), config, registry, cwd: root, root };
    const calls = planCompetitive({ prompt: 'implement x' }, ['gpt-5.3-codex', 'gemini-3.1-pro']);
    const out = await executeAsRun('fanout', calls, opts, 'test');
    expect(out.summary).toEqual({ total: 2, succeeded: 1, failed: 1 });
    const run = readRun(root, out.runId)!;
    expect(run.files).toEqual([
      'inputs/calls.json',
      'outputs/attempts.json',
      'outputs/gpt-5.3-codex.md',
      'outputs/results.json',
      'run.json',
    ]);
    expect(readRunJson(root, out.runId, 'outputs/results.json')).toEqual({
      results: out.results,
      summary: out.summary,
    });

    expect(pendingCalls(out.runId, root).map((c) => c.label)).toEqual(['gemini-3.1-pro']);
    geminiUp = true;
    const resumed = await resumeRun(out.runId, opts);
    expect(resumed.rerun).toBe(1);
    expect(resumed.summary).toEqual({ total: 2, succeeded: 2, failed: 0 });
    expect(fake.calls.filter((c) => c.target === 'gpt-5.3-codex')).toHaveLength(1); // not called again

    const candidates = materialize(root, out.runId, resumed.results);
    expect(candidates.map((c) => c.kind)).toEqual(['patch', 'files']);
    expect(readFileSync(candidates[0]!.path!, 'utf8')).toContain('+b');
    expect(existsSync(join(candidates[1]!.path!, 'src/x.ts'))).toBe(true);
  });
});
