/**
 * `mm handoff apply`: the one step that writes the coder's work into the user's tree,
 * after the architect reviewed it. The patch must apply cleanly (`git apply --check`);
 * on any conflict nothing is changed and git's reason is reported.
 */
import { existsSync } from 'node:fs';
import { listRuns, readRun, readRunJson, runFilePath, writeRunFile, type RunInfo } from '../../runs/store.ts';
import { RUN_ID } from '../../runs/state.ts';
import { repoRoot } from '../../git/git.ts';
import { MmError } from '../../util/errors.ts';
import { applyPatch } from './checkout.ts';
import { HANDOFF_RUN_KIND, type HandoffRunResult } from './run.ts';

/** A handoff run by its run id, the newest run of a handoff id, or the newest handoff run. */
function findHandoffRun(root: string, ref?: string): RunInfo {
  if (ref && RUN_ID.test(ref)) {
    const run = readRun(root, ref);
    if (run?.kind === HANDOFF_RUN_KIND) return run;
  }
  const runs = listRuns(root).filter(
    (r) => r.kind === HANDOFF_RUN_KIND && (ref === undefined || (r as { handoff?: unknown }).handoff === ref),
  );
  if (!runs[0])
    throw new MmError(
      'input',
      ref ? `no handoff run "${ref}" (neither a run id nor a handoff that ran)` : 'no handoff has run yet',
      {
        hint: 'mm handoff run <id> --yes runs the coder; mm runs list --kind handoff lists the runs',
      },
    );
  return runs[0];
}

export type ApplyOutcome =
  | { applied: true; run: string; handoff: string; files: HandoffRunResult['files'] }
  | { applied: false; run: string; handoff: string; reason: string };

export async function applyHandoff(root: string, ref?: string): Promise<ApplyOutcome> {
  const run = findHandoffRun(root, ref);
  const result = readRunJson<HandoffRunResult>(root, run.run_id, 'outputs/result.json');
  const handoff = result?.handoff ?? String((run as { handoff?: unknown }).handoff ?? '?');
  const refuse = (reason: string): ApplyOutcome => ({ applied: false, run: run.run_id, handoff, reason });
  if (!result) return refuse(`run ${run.run_id} has no result: the coder run did not finish`);
  const applied = readRunJson<{ at: string }>(root, run.run_id, 'outputs/applied.json');
  if (applied) return refuse(`run ${run.run_id} was already applied at ${applied.at}`);
  const patchFile = runFilePath(root, run.run_id, 'outputs/patch.diff');
  if (!existsSync(patchFile) || result.files.length === 0)
    return refuse(`run ${run.run_id} changed nothing: there is no patch to apply`);
  const outcome = await applyPatch(await repoRoot(root), patchFile);
  if (!outcome.applied)
    return refuse(
      outcome.alreadyApplied
        ? 'the patch is already in your working tree (it applies in reverse): nothing to do'
        : `the patch does not apply cleanly to your working tree; nothing was changed:\n${outcome.reason}`,
    );
  writeRunFile(root, run.run_id, 'outputs/applied.json', { at: new Date().toISOString() });
  return { applied: true, run: run.run_id, handoff, files: result.files };
}
