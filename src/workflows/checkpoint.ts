/**
 * Checkpoint semantics (design §4.4, usage spec Pattern 1), in one place:
 * off → never runs · ask → suggest with a reason and wait for --yes · auto → runs when
 * its thresholds are met · an explicit `--with` always runs (Pattern C).
 * The decision is data, so commands, the hook and the run store agree on it.
 */
import type { CheckpointMode, CheckpointName } from '../config/schema.ts';

type CheckpointAction = 'run' | 'ask' | 'skip';

export interface CheckpointInput {
  name: CheckpointName;
  mode: CheckpointMode;
  /** The thresholds that make the checkpoint worth running were met. */
  triggered: boolean;
  /** Why it was (or was not) triggered, in words for people. */
  trigger: string;
  /** The user asked for this review by name (`--with …`): Pattern C. */
  explicit: boolean;
  /** The user already confirmed (`--yes`). */
  confirmed: boolean;
  /** Checkpoints that must always be confirmed (debug escalation, §5.3). */
  alwaysAsk?: boolean;
}

export interface CheckpointDecision {
  name: CheckpointName;
  mode: CheckpointMode;
  action: CheckpointAction;
  reason: string;
}

export function decideCheckpoint(input: CheckpointInput): CheckpointDecision {
  const { name, mode, trigger } = input;
  const decided = (action: CheckpointAction, reason: string): CheckpointDecision => ({ name, mode, action, reason });
  if (input.explicit) return decided('run', `explicit request (Pattern C): runs whatever checkpoints.${name} says`);
  if (mode === 'off')
    return decided('skip', `checkpoints.${name} = "off": never runs (ask for it explicitly with --with)`);
  if (mode === 'ask' || input.alwaysAsk) {
    if (input.confirmed) return decided('run', `${trigger}; confirmed with --yes`);
    return decided(
      'ask',
      `${trigger}; checkpoints.${name} = "${input.alwaysAsk ? 'ask (always)' : mode}": confirm with the user, then re-run with --yes`,
    );
  }
  // auto: thresholds decide; a user who typed the command and --yes has confirmed anyway.
  if (input.triggered) return decided('run', `${trigger}; checkpoints.${name} = "auto"`);
  if (input.confirmed) return decided('run', `${trigger}; below the auto thresholds, run because --yes was given`);
  return decided(
    'skip',
    `${trigger}; checkpoints.${name} = "auto" runs only when its thresholds are met (force with --yes)`,
  );
}
