/**
 * Like mm() in mm.ts, but asynchronous: needed when the test process itself serves a
 * fake model server (spawnSync would block the event loop the fake answers on).
 */
import { spawn } from 'node:child_process';
import { MM_BIN, type MmRun } from './mm.ts';

export function mmAsync(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {},
): Promise<MmRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MM_BIN, ...args], {
      cwd: opts.cwd ?? process.cwd(),
      env: { ...process.env, MM_CONFIG: '', MM_RUN_ID: '', ...opts.env },
    });
    // Same bound as mm(): a hung mm fails its test instead of the whole run.
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr, json: () => JSON.parse(stdout) });
    });
    child.stdin.end(opts.input ?? '');
  });
}
