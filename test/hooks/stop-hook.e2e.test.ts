import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { stopGate } from '../../src/hooks/stop-gate.ts';
import { stopReview } from '../../src/hooks/stop-review.ts';
import { ISSUES, LGTM, FAILURE_STATUSES, scripted } from '../fakes/scripted-invoke.ts';
import { mm } from '../helpers/mm.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import { configToml } from '../cli/handler-harness.ts';

const HOOK_SCRIPT = fileURLToPath(new URL('../../scripts/hooks/stop-review.cjs', import.meta.url));
let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());
// dist/ is built once by test/global-setup.ts (building here would race other test files).

/** The JSON Claude Code sends a Stop hook. */
const hookJson = (dir: string, active = false, session = 'sess-1') =>
  JSON.stringify({
    session_id: session,
    transcript_path: join(dir, '.t.jsonl'),
    cwd: dir,
    permission_mode: 'default',
    hook_event_name: 'Stop',
    stop_hook_active: active,
  });

function setup(mode: string) {
  repo = tempRepo();
  repo.write('.claude/config/multi-model.toml', configToml({ pr_cross_review: mode }));
  repo.write('.gitignore', '.claude/\n');
  repo.commitAll('base');
  return repo;
}
const securityChange = (r: TempRepo, n = 1) =>
  r.write('src/auth.ts', `export const a = ${n};\nif (!timingSafeEqual(token, given)) throw new Unauthorized();\n`);

describe('Stop hook through the CLI (real hook JSON on stdin)', () => {
  it('stop_hook_active: true → exits 0 silently, never blocks again', () => {
    const r0 = setup('auto');
    securityChange(r0);
    for (const run of [
      mm(['hook', 'stop'], { cwd: r0.dir, input: hookJson(r0.dir, true) }),
      spawnSync(process.execPath, [HOOK_SCRIPT], { cwd: r0.dir, input: hookJson(r0.dir, true), encoding: 'utf8' }),
    ]) {
      expect('status' in run ? run.status : run.code).toBe(0);
      expect(run.stdout).toBe('');
    }
  });

  it('no config, or the checkpoint not "auto" → exits 0 silently', () => {
    repo = tempRepo();
    securityChange(repo);
    const none = mm(['hook', 'stop'], { cwd: repo.dir, input: hookJson(repo.dir) });
    expect([none.code, none.stdout]).toEqual([0, '']);
    repo.write('.claude/config/multi-model.toml', configToml({ pr_cross_review: 'ask' }));
    const ask = mm(['hook', 'stop'], { cwd: repo.dir, input: hookJson(repo.dir) });
    expect([ask.code, ask.stdout]).toEqual([0, '']);
  });

  it('"auto" and triggered, reviewer cannot run → fails OPEN with a visible notice (never block, never PASS)', () => {
    const r0 = setup('auto');
    // Point the reviewer CLIs at binaries that do not exist, so the real provider layer
    // (once merged) fails exactly as the placeholder does: "could not run".
    r0.write(
      '.claude/config/multi-model.toml',
      configToml(
        { pr_cross_review: 'auto' },
        '[models.gemini]\ncommand = "/nonexistent/gemini"\n[models.codex]\ncommand = "/nonexistent/codex"\n',
      ),
    );
    securityChange(r0);
    const r = spawnSync(process.execPath, [HOOK_SCRIPT], {
      cwd: r0.dir,
      input: hookJson(r0.dir),
      encoding: 'utf8',
      env: { ...process.env, MM_CONFIG: '', MM_RUN_ID: '' },
    });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBeUndefined();
    expect(out.systemMessage).toContain('could not run');
    expect(out.systemMessage).toContain('NOT a pass');
  });

  it('"auto" but below the thresholds → silent', () => {
    const r0 = setup('auto');
    r0.write('notes.md', 'hello\n');
    const r = mm(['hook', 'stop'], { cwd: r0.dir, input: hookJson(r0.dir) });
    expect([r.code, r.stdout]).toEqual([0, '']);
  });

  it('garbage on stdin → exit 0 with a notice', () => {
    const r = mm(['hook', 'stop'], { input: 'not json' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).systemMessage).toContain('not Stop hook JSON');
  });
});

describe('stopReview with scripted reviewers', () => {
  const go = (
    r: TempRepo,
    invoke: ReturnType<typeof scripted>['invoke'],
    opts: { active?: boolean; session?: string; maxRounds?: number } = {},
  ) => {
    const gate = stopGate(hookJson(r.dir, opts.active, opts.session), { MM_RUN_ID: '' }, r.dir);
    if (!gate.go) return Promise.resolve({ code: 0, stdout: '' });
    return stopReview({
      input: gate.input,
      cwd: gate.cwd,
      configPath: gate.configPath,
      env: { MM_RUN_ID: '' },
      invoke,
      maxRounds: opts.maxRounds,
    });
  };

  it('ISSUES → blocks the stop with the findings', async () => {
    const r0 = setup('auto');
    securityChange(r0);
    const s = scripted([{ json: ISSUES() }]);
    const out = await go(r0, s.invoke);
    const body = JSON.parse(out.stdout);
    expect(body.decision).toBe('block');
    expect(body.reason).toContain('src/auth.ts:2');
    expect(body.reason).toContain('Nothing was applied');
    const runs = join(r0.dir, '.claude/mm/runs');
    const id = readFileSync(join(runs, 'CURRENT'), 'utf8').trim();
    expect(readdirSync(join(runs, id, 'reviews'))).toHaveLength(1);
    expect(readFileSync(join(runs, id, 'checkpoints.jsonl'), 'utf8')).toContain('"command":"mm hook stop"');
  });

  it('never loops: the same change is not reviewed twice, and rounds are capped', async () => {
    const r0 = setup('auto');
    securityChange(r0, 1);
    const s = scripted([{ json: ISSUES() }]);
    expect(JSON.parse((await go(r0, s.invoke, { maxRounds: 2 })).stdout).decision).toBe('block');
    expect((await go(r0, s.invoke, { maxRounds: 2 })).stdout).toBe(''); // same change
    expect((await go(r0, s.invoke, { active: true, maxRounds: 2 })).stdout).toBe('');
    securityChange(r0, 2);
    expect(JSON.parse((await go(r0, s.invoke, { maxRounds: 2 })).stdout).decision).toBe('block');
    securityChange(r0, 3);
    const capped = JSON.parse((await go(r0, s.invoke, { maxRounds: 2 })).stdout);
    expect(capped.decision).toBeUndefined();
    expect(capped.systemMessage).toContain('cap reached');
    expect(s.calls).toHaveLength(2);
    // A new session starts its own count.
    expect(JSON.parse((await go(r0, s.invoke, { maxRounds: 2, session: 'sess-2' })).stdout).decision).toBe('block');
  });

  it('LGTM → does not block; says so', async () => {
    const r0 = setup('auto');
    securityChange(r0);
    const out = JSON.parse((await go(r0, scripted([{ json: LGTM }]).invoke)).stdout);
    expect(out.decision).toBeUndefined();
    expect(out.systemMessage).toContain('LGTM');
  });

  it.each([...FAILURE_STATUSES, 'malformed'] as const)(
    '%s → fails open with a notice, never blocks',
    async (status) => {
      const r0 = setup('auto');
      securityChange(r0);
      const s = scripted([status === 'malformed' ? { text: '{"verdict":' } : { status }]);
      const out = JSON.parse((await go(r0, s.invoke)).stdout);
      expect(out.decision).toBeUndefined();
      expect(out.systemMessage).toMatch(/could not run.*NOT blocked.*NOT a pass/);
    },
  );
});

describe('stopReview after a review that could not run', () => {
  it('does not call the model again for the same change, and does once the change changes', async () => {
    const r0 = setup('auto');
    securityChange(r0, 1);
    const gateFor = () => stopGate(hookJson(r0.dir), { MM_RUN_ID: '' }, r0.dir);
    const s = scripted([{ status: 'unavailable' }, { status: 'unavailable' }, { json: ISSUES() }]);
    const stop = async () => {
      const gate = gateFor();
      if (!gate.go) throw new Error('gate closed');
      return JSON.parse(
        (
          await stopReview({
            input: gate.input,
            cwd: gate.cwd,
            configPath: gate.configPath,
            env: { MM_RUN_ID: '' },
            invoke: s.invoke,
          })
        ).stdout,
      );
    };
    const first = await stop();
    expect(first.systemMessage).toMatch(/could not run \(unavailable.*NOT blocked.*NOT a pass/);
    expect(s.calls).toHaveLength(1);
    for (let i = 0; i < 2; i++) {
      const again = await stop();
      expect(again.decision).toBeUndefined();
      expect(again.systemMessage).toMatch(
        /could not run \(unavailable.*not retried for the same change.*NOT blocked.*NOT a pass/,
      );
    }
    expect(s.calls).toHaveLength(1);
    securityChange(r0, 2);
    expect((await stop()).systemMessage).toContain('could not run');
    expect(s.calls).toHaveLength(2);
    securityChange(r0, 3);
    expect((await stop()).decision).toBe('block');
    expect(s.calls).toHaveLength(3);
  });
});

describe('the fast gate', () => {
  it('never says "nothing" for a small change that mm check flags as security-sensitive', async () => {
    const { quickChangeCheck } = await import('../../src/hooks/stop-gate.ts');
    const r0 = setup('auto');
    // Concepts beyond the old eight substrings: a sandbox policy and a path traversal guard.
    r0.write('src/run.ts', 'export const sandboxPolicy = { allowNetwork: false };\nexport const noTraversal = 1;\n');
    expect(await quickChangeCheck(r0.dir, '')).toBe('maybe');
    const check = mm(['check', '--json'], { cwd: r0.dir }).json();
    expect(JSON.stringify(check)).toMatch(/sandbox/);
  });

  it('says "nothing" only for a small change with no security pattern', async () => {
    const { quickChangeCheck } = await import('../../src/hooks/stop-gate.ts');
    const r0 = setup('auto');
    expect(await quickChangeCheck(r0.dir, '')).toBe('nothing');
    r0.write('notes.md', 'hello\n');
    expect(await quickChangeCheck(r0.dir, '')).toBe('nothing');
    r0.write('sub/new.txt', 'our password is here\n');
    expect(await quickChangeCheck(join(r0.dir, 'sub'), '')).toBe('maybe');
    r0.write('sub/new.txt', 'fine\n');
    expect(await quickChangeCheck(r0.dir, '')).toBe('nothing');
    expect(await quickChangeCheck(r0.dir, '[thresholds]\nfiles_changed_suggest_review = 1\n')).toBe('maybe');
    for (let i = 0; i < 11; i++) r0.write(`f${i}.md`, 'x\n');
    expect(await quickChangeCheck(r0.dir, '')).toBe('maybe');
  });
});
