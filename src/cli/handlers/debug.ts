import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../config/locate.ts';
import { currentRunId, readRunState, runsDir, updateRunState, type RunState } from '../../runs/state.ts';
import type { CommandContext, Handler } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

function report(ctx: CommandContext, state: RunState | null, threshold: number): number {
  const cycles = state?.debug.failed_cycles ?? 0;
  if (ctx.json) {
    printJson(ctx, {
      run_id: state?.run_id ?? null,
      failed_cycles: cycles,
      threshold,
      escalation_suggested: cycles >= threshold,
      notes: state?.debug.notes ?? [],
    });
    return 0;
  }
  const next =
    cycles >= threshold
      ? 'at the threshold: `mm route --category debug` names the escalation'
      : `${threshold - cycles} more before escalation is suggested`;
  ctx.stdout(
    `failed debug cycles: ${cycles} (threshold ${threshold}; ${next})${state ? `\nrun: ${state.run_id}` : ''}`,
  );
  for (const n of state?.debug.notes ?? []) ctx.stdout(`- ${n.at}: ${n.note}`);
  return 0;
}

export const runDebugFail: Handler = async ({ flags }, ctx) => {
  const { config, path } = await loadConfigFor(ctx);
  const root = projectRoot(ctx.cwd, path);
  const state = await updateRunState(root, ctx.env, (s) => {
    s.debug.failed_cycles += 1;
    if (typeof flags.note === 'string') s.debug.notes.push({ at: new Date().toISOString(), note: flags.note });
  });
  return report(ctx, state, config.thresholds.suggest_codex_debug_after_cycles);
};

export const runDebugReset: Handler = async (_args, ctx) => {
  const { config, path } = await loadConfigFor(ctx);
  const root = projectRoot(ctx.cwd, path);
  try {
    await readRunState(root, ctx.env);
  } catch {
    // A reset is how a user recovers from a state file that no longer parses.
    const id = currentRunId(root, ctx.env);
    if (id) rmSync(join(runsDir(root), id, 'state.json'), { force: true });
  }
  const state = await updateRunState(root, ctx.env, (s) => {
    s.debug = { failed_cycles: 0, notes: [] };
  });
  return report(ctx, state, config.thresholds.suggest_codex_debug_after_cycles);
};

export const runDebugStatus: Handler = async (_args, ctx) => {
  const { config, path } = await loadConfigFor(ctx);
  return report(
    ctx,
    await readRunState(projectRoot(ctx.cwd, path), ctx.env),
    config.thresholds.suggest_codex_debug_after_cycles,
  );
};
