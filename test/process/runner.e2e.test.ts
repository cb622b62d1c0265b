import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyRun, runProcess } from '../../src/process/runner.ts';
import { writeStubCli } from '../fakes/stub-cli.ts';
import { exits } from '../helpers/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'mm-runner-'));

describe('runProcess', () => {
  it('delivers a 1 MB prompt on stdin intact (far above the argv limit)', async () => {
    const stub = writeStubCli(dir, 'echo', { kind: 'echo-stdin' });
    const prompt = `${'ünïcödé ✓ '.repeat(100_000)}END`;
    const r = await runProcess({ command: stub, args: [], input: prompt, timeoutMs: 20_000 });
    expect(r.exitCode).toBe(0);
    const echoed = JSON.parse(JSON.parse(r.stdout).response);
    expect(echoed.length).toBe(prompt.length);
    expect(echoed.sha256).toBe(createHash('sha256').update(prompt).digest('hex'));
  });

  it('kills the whole process tree on timeout', async () => {
    const stub = writeStubCli(dir, 'tree', { kind: 'hang-with-child' });
    const pidFile = join(dir, 'child.pid');
    const r = await runProcess({
      command: stub,
      args: [],
      timeoutMs: 1500,
      env: { ...process.env, STUB_CHILD_PID_FILE: pidFile },
    });
    expect(r.timedOut).toBe(true);
    expect(classifyRun(r).status).toBe('timeout');
    expect(existsSync(pidFile)).toBe(true);
    expect(await exits(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('returns on timeout even when an escaped descendant keeps the pipes open', async () => {
    // The stub starts a grandchild in its own session (out of reach of the group kill) that inherits stdout.
    const pidFile = join(dir, 'escaped.pid');
    const script = `const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));
setInterval(() => {}, 1000);`;
    // The race only keeps a broken runner from hanging the suite.
    const r = await Promise.race([
      runProcess({ command: process.execPath, args: ['-e', script], timeoutMs: 1000, killGraceMs: 100 }),
      new Promise<'hung'>((res) => setTimeout(() => res('hung'), 8000)),
    ]);
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
    expect(r).not.toBe('hung');
    expect(classifyRun(r as Exclude<typeof r, 'hung'>).status).toBe('timeout');
  }, 15_000);

  it('reports a missing binary as unavailable, not as a failure to judge', async () => {
    const r = await runProcess({ command: join(dir, 'no-such-cli'), args: [], timeoutMs: 5000 });
    expect(r.spawnError).toBe('ENOENT');
    expect(classifyRun(r)).toMatchObject({ status: 'unavailable', reason: 'command not found' });
  });

  it('caps stdout but keeps draining (the child is not blocked)', async () => {
    const r = await runProcess({
      command: process.execPath,
      args: ['-e', "process.stdout.write('x'.repeat(500000))"],
      timeoutMs: 10_000,
      maxStdoutBytes: 1000,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.length).toBe(1000);
    expect(classifyRun(r).status).toBe('truncated');
  });

  it('never passes arguments through a shell', async () => {
    const r = await runProcess({
      command: process.execPath,
      args: ['-e', 'console.log(process.argv[1])', '$(echo pwned); rm -rf /'],
      timeoutMs: 10_000,
    });
    expect(r.stdout.trim()).toBe('$(echo pwned); rm -rf /');
  });

  it('on timeout sends SIGTERM first, so a child can clean up, and SIGKILL after the grace', async () => {
    const marker = join(dir, 'cleaned-up');
    const script = `process.on('SIGTERM', () => { require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'yes'); process.exit(0); });
setInterval(() => {}, 1000);`;
    const r = await runProcess({ command: process.execPath, args: ['-e', script], timeoutMs: 800, killGraceMs: 5000 });
    expect(r.timedOut).toBe(true);
    expect(readFileSync(marker, 'utf8')).toBe('yes');
  }, 15_000);

  it('a child that ignores SIGTERM is SIGKILLed after the grace', async () => {
    // The child says on stderr when its handler is in place; stopWhen then stops it the way a
    // timeout does (SIGTERM, grace, SIGKILL), so a loaded machine cannot make it race.
    const script = "process.on('SIGTERM', () => {}); console.error('ignoring SIGTERM'); setInterval(() => {}, 1000);";
    const r = await runProcess({
      command: process.execPath,
      args: ['-e', script],
      timeoutMs: 60_000,
      killGraceMs: 100,
      stopWhen: (recent) => (recent.includes('ignoring SIGTERM') ? 'ready' : undefined),
    });
    expect(r.stoppedFor).toBe('ready');
    expect(r.signal).toBe('SIGKILL');
  }, 15_000);

  it('stopWhen ends the child as soon as its stderr says so, with the reason', async () => {
    const script = "let n = 0; setInterval(() => console.error('Attempt ' + ++n + ' failed, retrying'), 50);";
    const r = await runProcess({
      command: process.execPath,
      args: ['-e', script],
      timeoutMs: 60_000,
      stopWhen: (recent) => (/Attempt 2 failed/.test(recent) ? 'retry loop' : undefined),
    });
    expect(r.stoppedFor).toBe('retry loop');
    expect(r.timedOut).toBe(false);
  }, 15_000);

  it('sweepEscaped kills a descendant that left the process group (setsid)', async () => {
    const pidFile = join(dir, 'setsid.pid');
    const r = await runProcess({
      command: 'sh',
      args: ['-c', `setsid sh -c 'echo $$ > ${pidFile}; exec sleep 47' </dev/null >/dev/null 2>&1 & sleep 0.3`],
      timeoutMs: 10_000,
      sweepEscaped: true,
    });
    expect(r.exitCode).toBe(0);
    expect(await exits(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  }, 15_000);

  it('onInterrupt: on SIGTERM the children are killed, then the cleanups run, then mm exits 143', async () => {
    const out = join(dir, 'interrupt.log');
    const pidFile = join(dir, 'interrupt-child.pid');
    const runner = join(process.cwd(), 'src/process/runner.ts');
    // SIGTERM once the child has started (its pid file is there), not after a fixed delay.
    const script = `import { onInterrupt, runProcess } from ${JSON.stringify(runner)};
import { appendFileSync, existsSync } from 'node:fs';
onInterrupt(() => appendFileSync(${JSON.stringify(out)}, 'cleanup\\n'));
const p = runProcess({ command: 'sh', args: ['-c', 'echo $$ > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; exec sleep 53'], timeoutMs: 60_000 });
const interruptOnceStarted = () => (existsSync(${JSON.stringify(pidFile)}) ? process.kill(process.pid, 'SIGTERM') : setTimeout(interruptOnceStarted, 10));
interruptOnceStarted();
await p;`;
    // Bundled with esbuild (milliseconds) rather than run through tsx (seconds of start-up).
    const file = join(dir, 'interrupt.mjs');
    buildSync({
      stdin: { contents: script, loader: 'ts', resolveDir: dir },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: file,
      logLevel: 'silent',
    });
    const r = spawnSync(process.execPath, [file], { timeout: 20_000 });
    expect(r.status, r.stderr.toString()).toBe(143);
    expect(readFileSync(out, 'utf8')).toBe('cleanup\n');
    expect(await exits(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  }, 30_000);

  it('classifies exit codes with a CLI map, then by stderr wording', () => {
    const base = { signal: null, stdout: '', stderr: '', timedOut: false, outputCapped: false, durationMs: 1 };
    expect(classifyRun({ ...base, exitCode: 173 }, { 173: 'rate_limited' }).status).toBe('rate_limited');
    expect(classifyRun({ ...base, exitCode: 1, stderr: 'Error: 429 Too Many Requests' }).status).toBe('rate_limited');
    expect(classifyRun({ ...base, exitCode: 1, stderr: '401 Unauthorized' }).status).toBe('auth');
    expect(classifyRun({ ...base, exitCode: 1, stderr: 'boom' }).status).toBe('failed');
    expect(classifyRun({ ...base, exitCode: 1, stderr: 'Permission denied on resource project p' }).status).toBe(
      'auth',
    );
    expect(
      classifyRun({ ...base, exitCode: 1, stderr: "Error: EACCES: permission denied, mkdir '/home/u/.gemini/tmp'" })
        .status,
    ).toBe('failed');
    expect(classifyRun({ ...base, exitCode: 0 }).status).toBe('ok');
  });
});
