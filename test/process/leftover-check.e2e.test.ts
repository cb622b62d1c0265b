/** The end-of-run check (test/global-setup.ts) finds what a run left behind, and only that. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLeftovers, waitForLeftovers } from '../helpers/leftover-processes.ts';

/** Resolves once the child runs its own program (before exec, /proc shows the test worker). */
async function started(pid: number, program: string): Promise<void> {
  while (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(program)) await new Promise((r) => setImmediate(r));
}

describe.runIf(process.platform === 'linux')('leftover processes', () => {
  it('finds a process whose cwd, argv or environment points into the marked folder; not an unrelated one', async () => {
    const mark = mkdtempSync(join(tmpdir(), 'mm-leftover-'));
    const other = mkdtempSync(join(tmpdir(), 'mm-unrelated-'));
    const start = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
      spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], {
        cwd,
        detached: true,
        stdio: 'ignore',
        env: { PATH: process.env.PATH, ...env },
      });
    const byCwd = start(['cwd'], mark);
    const byArgv = start([join(mark, 'stub-cli')], other);
    const byEnv = start(['env'], other, { HOME: join(mark, 'home') });
    const unrelated = start(['unrelated'], other);
    const all = [byCwd, byArgv, byEnv, unrelated];
    try {
      for (const c of all) await started(c.pid!, 'setInterval');
      const found = findLeftovers(mark);
      expect(found.map((l) => l.pid).sort()).toEqual([byCwd.pid, byArgv.pid, byEnv.pid].sort());
      expect(found.find((l) => l.pid === byArgv.pid)!.command).toContain(join(mark, 'stub-cli'));
      expect(findLeftovers(mark, new Set([byCwd.pid!])).map((l) => l.pid)).not.toContain(byCwd.pid);
    } finally {
      for (const c of all) c.kill('SIGKILL');
    }
    expect(await waitForLeftovers(mark, 5000)).toEqual([]);
  });
});
