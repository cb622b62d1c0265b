/**
 * `mm jobs cancel`: record the cancellation, then end the job's whole process tree —
 * SIGTERM first (mm forwards it to the model CLIs it runs and exits), SIGKILL for
 * whatever is left after a grace period. The tree is collected before any kill: a
 * killed parent's children are re-parented and could no longer be found.
 */
import { MmError } from '../util/errors.ts';
import { isSameProcess, processTree, signalTree, survivors } from './processes.ts';
import { readJob, writeCancel, type JobCancel, type JobInfo } from './store.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function cancelJob(root: string, job: JobInfo, opts: { graceMs?: number } = {}): Promise<JobCancel> {
  let current: JobInfo | null = job;
  // A job seen in the instant between its creation and its pid being recorded.
  for (let i = 0; i < 20 && current?.state === 'starting'; i++) {
    await sleep(100);
    current = readJob(root, job.job);
  }
  if (!current || (current.state !== 'running' && current.state !== 'starting'))
    throw new MmError('failed', `job ${job.job} is not running (${current?.state ?? 'gone'}): nothing to cancel`);
  const identity =
    current.pid !== null && current.pid_started !== null ? { pid: current.pid, started: current.pid_started } : null;
  const tree = identity && isSameProcess(identity) ? processTree(identity.pid) : { pids: [], groups: [] };
  const started = new Date().toISOString();
  // Recorded before the kill: the job's own exit.json (143 after SIGTERM) must not read as "failed".
  writeCancel(root, job.job, { at: started, signalled: 0, survivors: [] });
  let signalled = signalTree(tree, 'SIGTERM');
  const deadline = Date.now() + (opts.graceMs ?? 2000);
  while (survivors(tree).length > 0 && Date.now() < deadline) await sleep(100);
  if (survivors(tree).length > 0) {
    // Children started during the grace period belong to the tree too.
    const late = identity && isSameProcess(identity) ? processTree(identity.pid) : { pids: [], groups: [] };
    const all = {
      pids: [...new Set([...tree.pids, ...late.pids])],
      groups: [...new Set([...tree.groups, ...late.groups])],
    };
    signalled += signalTree(all, 'SIGKILL');
    for (let i = 0; i < 20 && survivors(all).length > 0; i++) await sleep(50);
    tree.pids = all.pids;
  }
  const result: JobCancel = { at: started, signalled, survivors: survivors(tree) };
  writeCancel(root, job.job, result);
  return result;
}
