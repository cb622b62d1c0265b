/** Spawn the BUILT `mm` (dist/, as users run it) and capture output and exit code. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MM_BIN = fileURLToPath(new URL('../../bin/mm.cjs', import.meta.url));

export interface MmRun {
  code: number;
  stdout: string;
  stderr: string;
  json: () => any;
}

export function mm(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): MmRun {
  const r = spawnSync(process.execPath, [MM_BIN, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: { ...process.env, MM_CONFIG: '', MM_RUN_ID: '', ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
