/**
 * Referee losses traced back to the call that wrote the losing candidate: a candidate
 * materialised by a fan-out or develop run (`runs/<id>/outputs/candidates/<label>`)
 * names its run and label; the run's calls say the task, the ledger the effort.
 */
import { listRuns, readRunJson } from '../../runs/store.ts';
import type { Verdict } from './verdict.ts';
import type { PlannedCall } from '../fanout/types.ts';
import type { Overrule } from '../../usage/effort-report.ts';
import type { LedgerEntry } from '../../usage/ledger.ts';

const CANDIDATE = /runs\/([^/]+)\/outputs\/candidates\/([^/]+?)(?:\.patch)?\/?$/;

export function refereeOverrules(root: string, ledger: LedgerEntry[]): Overrule[] {
  const out: Overrule[] = [];
  for (const run of listRuns(root).filter((r) => r.kind === 'referee')) {
    const verdict = readRunJson<Verdict>(root, run.run_id, 'outputs/verdict.json');
    if (!verdict?.winner) continue;
    const loser = verdict.candidates[verdict.winner === 'a' ? 'b' : 'a'];
    const m = CANDIDATE.exec(loser.spec.replace(/\\/g, '/'));
    if (!m) continue;
    const [, runId, name] = m;
    const calls = readRunJson<{ calls: PlannedCall[] }>(root, runId!, 'inputs/calls.json')?.calls ?? [];
    const call = calls.find((c) => c.label.replace(/[^\w.-]/g, '_') === name);
    const effort = call && ledger.find((e) => e.checkpoint === runId && e.task === call.task && e.effort)?.effort;
    if (call && effort) out.push({ task: call.task, effort });
  }
  return out;
}
