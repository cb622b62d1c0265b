/**
 * The job side of a background job: `mm … --background` re-runs the same command in a
 * detached process with MM_JOB_DIR set. That process reports its progress into
 * progress.json and, however it ends short of SIGKILL, its exit code into exit.json
 * (see src/jobs/store.ts). Only node:fs underneath: this runs on every job's start-up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { setProgressSink } from './progress.ts';
import { removeJobTemp } from './temp.ts';

export function startJobProcess(dir: string): void {
  const write = (name: string, data: object) => writeFileAtomic(join(dir, name), `${JSON.stringify(data, null, 2)}\n`);
  setProgressSink((state) => write('progress.json', { ...state, updated: new Date().toISOString() }));
  write('progress.json', { phase: 'started', updated: new Date().toISOString() });
  // 'exit' runs for a normal end and for process.exit() (the runner's Ctrl-C/SIGTERM path).
  process.on('exit', (code) => {
    try {
      write('exit.json', { exit_code: code, ended: new Date().toISOString() });
    } catch {
      // the job folder was pruned meanwhile: nobody is left to read it
    }
    // The temp files its caller made for it (an MCP call's prompt file) end with the job.
    try {
      const spec = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as { temp?: unknown };
      if (Array.isArray(spec.temp)) removeJobTemp(spec.temp.filter((p): p is string => typeof p === 'string'));
    } catch {
      // no readable job.json: nothing recorded to remove
    }
  });
}
