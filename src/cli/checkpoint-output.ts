/**
 * How a checkpoint decision reaches the user: "ask" prints the suggestion with its
 * reason and exits 3 (Claude asks the user, then re-runs with --yes); "skip" says why.
 * Every decision is recorded in the run.
 */
import { recordCheckpoint } from '../runs/records.ts';
import type { CheckpointDecision } from '../workflows/checkpoint.ts';
import type { CommandContext } from './spec.ts';
import { printJson } from './config-context.ts';
import { EXIT } from './exit-codes.ts';

/** Returns an exit code when the command must stop here, or null to go on and run. */
export function applyDecision(
  ctx: CommandContext,
  root: string,
  command: string,
  decision: CheckpointDecision,
  suggestion: string,
): number | null {
  recordCheckpoint(root, ctx.env, {
    checkpoint: decision.name,
    mode: decision.mode,
    action: decision.action,
    reason: decision.reason,
    command,
  });
  if (decision.action === 'run') return null;
  if (ctx.json) printJson(ctx, { checkpoint: decision, suggestion, ran: false });
  else if (decision.action === 'ask')
    ctx.stdout(
      `Suggestion: ${suggestion}\nWhy: ${decision.reason}\nNeeds confirmation: ask the user, then run \`${command} --yes\`.`,
    );
  else ctx.stdout(`Skipped: ${decision.reason}`);
  return decision.action === 'ask' ? EXIT.needs_confirmation : EXIT.ok;
}
