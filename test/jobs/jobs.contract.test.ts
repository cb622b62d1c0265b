/**
 * Background jobs through the BUILT mm: `--background` starts a detached mm, `mm jobs …`
 * looks after it. Faults come from stub CLIs (a codex that hangs with a child of its own);
 * the happy path runs the REAL codex against the Codex fake, so mm runs with mmAsync.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codexEnv, codexPromptOf, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { writeStubCli } from '../fakes/stub-cli.ts';
import { CODEX_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { isRunning } from '../helpers/process.ts';
import { tempDir, tempRepo } from '../helpers/repo.ts';
import { readJob } from '../../src/jobs/store.ts';
import { processStartTime, processTree } from '../../src/jobs/processes.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NO_CLAUDE = { ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };

/** Pids to clean up if a test fails half-way (never a broad kill). */
const spawned: number[] = [];
afterEach(() => {
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A project whose codex is a stub that hangs and starts a child (its pid in child.pid). */
function hangingProject(): { dir: string; env: NodeJS.ProcessEnv; childPidFile: string } {
  const dir = tempDir('mm-jobs-');
  const stub = writeStubCli(join(dir, 'bin'), 'codex', { kind: 'hang-with-child' });
  writeProjectConfig(
    dir,
    `[models]\ncodex_enabled = true\ngemini_enabled = false\n[models.codex]\ncommand = "${stub}"\n`,
  );
  const childPidFile = join(dir, 'child.pid');
  return { dir, env: { ...NO_CLAUDE, STUB_CHILD_PID_FILE: childPidFile, MM_CODEX_NATIVE: '0' }, childPidFile };
}

async function startHangingJob(p: ReturnType<typeof hangingProject>) {
  const started = await mmAsync(['ask', 'codex', '--prompt-file', 'q.md', '--no-fallback', '--background', '--json'], {
    cwd: p.dir,
    env: p.env,
  });
  expect(started.stderr).toBe('');
  expect(started.code).toBe(0);
  const { job, pid } = started.json();
  spawned.push(pid);
  await until('the stub codex child', () => existsSync(p.childPidFile) && readFileSync(p.childPidFile, 'utf8') !== '');
  const grandchild = Number(readFileSync(p.childPidFile, 'utf8'));
  spawned.push(grandchild);
  return { job: job as string, pid: pid as number, grandchild };
}

describe('mm jobs with a job that hangs', () => {
  it('--background prints the id at once; status shows running, the model, the phase; cancel kills the whole tree', async () => {
    const p = hangingProject();
    writeFileSync(join(p.dir, 'q.md'), 'what is 2+2?');
    const { job, pid, grandchild } = await startHangingJob(p);

    const status = await mmIn(['jobs', 'status', job, '--json'], { cwd: p.dir, env: p.env });
    expect(status.code).toBe(0);
    const s = status.json();
    expect(s).toMatchObject({ job, state: 'running', command: 'mm ask codex --prompt-file q.md --no-fallback --json' });
    expect(s.model).toBe('gpt-5.2'); // the general line answers task "ask"
    expect(typeof s.elapsed_s).toBe('number');

    const cancel = await mmIn(['jobs', 'cancel', job, '--json'], { cwd: p.dir, env: p.env });
    expect(cancel.stderr).toBe('');
    expect(cancel.code).toBe(0);
    expect(cancel.json()).toMatchObject({ job, state: 'cancelled', killed: { survivors: [] } });
    // The job's mm, the stub codex (its own process group) and the stub's child are all gone.
    expect(isRunning(pid)).toBe(false);
    expect(isRunning(grandchild)).toBe(false);
    const cancelRecord = JSON.parse(readFileSync(join(p.dir, '.claude/mm/runs', job, 'cancel.json'), 'utf8'));
    expect(cancelRecord.at).toMatch(/^\d{4}-/);

    const wait = await mmAsync(['jobs', 'wait', job], { cwd: p.dir, env: p.env });
    expect(wait.code).toBe(130);
    expect(wait.stderr).toContain('cancelled');
    const again = await mmIn(['jobs', 'cancel', job], { cwd: p.dir, env: p.env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not running (cancelled)');
    const runs = await mmIn(['runs', 'list', '--kind', 'job', '--json'], { cwd: p.dir, env: p.env });
    expect(runs.json().runs[0].status).toBe('interrupted');
  });

  it('a job whose process was killed reads as dead, and wait returns 137; --timeout returns 124 while it runs', async () => {
    const p = hangingProject();
    writeFileSync(join(p.dir, 'q.md'), 'what is 2+2?');
    const { job, pid, grandchild } = await startHangingJob(p);

    const timedOut = await mmIn(['jobs', 'wait', job, '--timeout', '1', '--json'], { cwd: p.dir, env: p.env });
    expect(timedOut.code).toBe(124);
    expect(timedOut.json().state).toBe('running');
    const early = await mmIn(['jobs', 'result', job], { cwd: p.dir, env: p.env });
    expect(early.code).toBe(124);
    expect(early.stdout).toBe('');

    spawned.push(...processTree(pid).pids); // the orphans left below are the test's to clean up
    process.kill(pid, 'SIGKILL'); // no exit code can be recorded
    await until('the job process to go', () => !isRunning(pid));
    const status = await mmIn(['jobs', 'status', job, '--json'], { cwd: p.dir, env: p.env });
    expect(status.json().state).toBe('dead');
    const wait = await mmAsync(['jobs', 'wait', job], { cwd: p.dir, env: p.env });
    expect(wait.code).toBe(137);
    const result = await mmIn(['jobs', 'result', job], { cwd: p.dir, env: p.env });
    expect(result.code).toBe(137);
    expect(result.stderr).toContain('died without an exit code');
    const listed = await mmIn(['jobs', 'list', '--state', 'dead', '--json'], { cwd: p.dir, env: p.env });
    expect(listed.json().jobs.map((j: { job: string }) => j.job)).toEqual([job]);
    // mm was SIGKILLed, so it ended nothing itself; the runner's watchdog (process/runner.ts) ends the CLI's group.
    await until('the watchdog to end the orphaned CLI', () => !isRunning(grandchild));

    const prune = await mmIn(['jobs', 'prune', '--older-than', '0m', '--json'], { cwd: p.dir, env: p.env });
    expect(prune.json().pruned.map((j: { job: string }) => j.job)).toEqual([job]);
    expect(existsSync(join(p.dir, '.claude/mm/runs', job))).toBe(false);
  });
});

describe('a recorded pid that now belongs to another process', () => {
  it('reads as dead, not running (the start time differs)', () => {
    const dir = tempDir('mm-jobs-reuse-');
    const id = '20260101-000000-abcd-job';
    const runDir = join(dir, '.claude/mm/runs', id);
    mkdirSync(runDir, { recursive: true });
    const base = { job: id, command: 'qa', argv: ['qa'], cwd: dir, created: '2026-01-01T00:00:00.000Z', stdin: false };
    writeFileSync(
      join(runDir, 'job.json'),
      JSON.stringify({ ...base, pid: process.pid, pid_started: 'another start' }),
    );
    expect(readJob(dir, id)!.state).toBe('dead');
    writeFileSync(
      join(runDir, 'job.json'),
      JSON.stringify({ ...base, pid: process.pid, pid_started: processStartTime(process.pid) }),
    );
    expect(readJob(dir, id)!.state).toBe('running');
    // Jobs survive restarts: a fresh reader sees the recorded exit.
    writeFileSync(join(runDir, 'job.json'), JSON.stringify({ ...base, pid: 999_999_999, pid_started: 'x' }));
    writeFileSync(join(runDir, 'exit.json'), JSON.stringify({ exit_code: 3, ended: '2026-01-01T00:01:00.000Z' }));
    expect(readJob(dir, id)).toMatchObject({ state: 'failed', exit_code: 3, elapsed_s: 60 });
  });
});

describe('jobs against the real codex', () => {
  let fake: CodexFake;
  beforeAll(async () => {
    fake = await startCodexFake({ reply: (req) => `answer to: ${codexPromptOf(req).split('\n')[0]}` });
  });
  afterAll(() => fake.close());

  it('two jobs at once: both run, each keeps its own output; wait returns the exit code', async () => {
    // A git repository: codex then never depends on --skip-git-repo-check (a shared /tmp may hold stray repos).
    const dir = tempRepo().dir;
    writeProjectConfig(
      dir,
      `[models]\ncodex_enabled = true\ngemini_enabled = false\n[models.codex]\ncommand = "${CODEX_BIN}"\n`,
    );
    const env = { ...codexEnv(fake, tempDir('mm-jobs-home-')), ...NO_CLAUDE };
    const [a, b] = await Promise.all(
      ['first question', 'second question'].map((q) =>
        mmAsync(['ask', 'codex', '--no-fallback', '--background'], { cwd: dir, env, input: q }),
      ),
    );
    expect(a!.code).toBe(0);
    expect(b!.code).toBe(0);
    const ids = [a!, b!].map((r) => /^Job (\S+) started/.exec(r.stdout)![1]!);
    expect(new Set(ids).size).toBe(2);
    const waits = await Promise.all(ids.map((id) => mmAsync(['jobs', 'wait', id], { cwd: dir, env })));
    expect(waits.map((w) => w.code)).toEqual([0, 0]);
    const results = await Promise.all(ids.map((id) => mmAsync(['jobs', 'result', id], { cwd: dir, env })));
    expect(results.map((r) => r.stdout.trim())).toEqual(['answer to: first question', 'answer to: second question']);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const list = await mmIn(['jobs', 'list', '--json'], { cwd: dir, env });
    expect(list.json().jobs.map((j: { state: string }) => j.state)).toEqual(['done', 'done']);
  });

  it('a job that fails returns its own exit code from wait and result', async () => {
    const dir = tempDir('mm-jobs-fail-');
    const stub = writeStubCli(join(dir, 'bin'), 'codex', {
      kind: 'exit',
      code: 1,
      stderr: 'HTTP 429 Too Many Requests',
    });
    writeProjectConfig(
      dir,
      `[models]\ncodex_enabled = true\ngemini_enabled = false\n[models.codex]\ncommand = "${stub}"\n`,
    );
    const env = { ...NO_CLAUDE, MM_CODEX_NATIVE: '0' };
    const started = await mmAsync(['ask', 'codex', '--no-fallback', '--background', '--json'], {
      cwd: dir,
      env,
      input: 'hello',
    });
    const { job } = started.json();
    const wait = await mmAsync(['jobs', 'wait', job, '--json'], { cwd: dir, env });
    expect(wait.code).toBe(12); // rate_limited, the job's own exit code
    expect(wait.json()).toMatchObject({ state: 'failed', exit_code: 12 });
  });
});

describe('--background is refused where it cannot work', () => {
  it('is not a flag of the short commands', async () => {
    const r = await mmIn(['route', '--task', 'x', '--background']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown flag --background');
  });
});
