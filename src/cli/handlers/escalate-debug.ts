import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../../config/locate.ts';
import { repoRoot } from '../../git/git.ts';
import { loadRelated } from '../../context/load-related.ts';
import { invokeModel, type InvokeFn } from '../../providers/index.ts';
import { recordReview } from '../../runs/records.ts';
import { readRunState } from '../../runs/state.ts';
import { MmError } from '../../util/errors.ts';
import { decideCheckpoint } from '../../workflows/checkpoint.ts';
import { debugOptions, escalateDebug, type DebugOption } from '../../workflows/escalate/debug.ts';
import { renderCouldNotRun } from '../../workflows/review/render.ts';
import type { Handler } from '../spec.ts';
import { applyDecision } from '../checkpoint-output.ts';
import { exitForStatus } from '../exit-codes.ts';
import { loadConfigFor, printJson } from '../config-context.ts';
import { EXIT } from '../exit-codes.ts';

function readInput(cwd: string, file: string, flag: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new MmError(
      'input',
      `cannot read ${flag} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
}

export function makeEscalateDebug(invoke: InvokeFn): Handler {
  return async ({ flags }, ctx) => {
    if (typeof flags.error !== 'string')
      throw new MmError('usage', 'mm escalate debug: --error FILE is required (stack trace or failing test output)');
    const error = readInput(ctx.cwd, flags.error, '--error');
    const tried = typeof flags.tried === 'string' ? readInput(ctx.cwd, flags.tried, '--tried') : '';
    const loaded = await loadConfigFor(ctx);
    const { config, registry, path } = loaded;
    const root = projectRoot(ctx.cwd, path);
    const cycles =
      (flags.cycles as number | undefined) ?? (await readRunState(root, ctx.env))?.debug.failed_cycles ?? 0;
    const threshold = config.thresholds.suggest_codex_debug_after_cycles;
    const option = flags.option as DebugOption | undefined;
    const options = debugOptions(config);

    if (option === undefined) {
      if (cycles < threshold) {
        const text = `${cycles} failed debug cycle(s), below the escalation threshold of ${threshold}: continue with Claude (try a different approach).`;
        if (ctx.json) printJson(ctx, { cycles, threshold, stage: 'continue', message: text });
        else ctx.stdout(text);
        return EXIT.ok;
      }
      if (config.checkpoints.debug_escalation === 'off') {
        ctx.stdout(
          `Skipped: checkpoints.debug_escalation = "off". Continue with Claude (or choose an option explicitly with --option).`,
        );
        return EXIT.ok;
      }
      const text = [
        `Debug has stalled after ${cycles} failed cycle(s) (threshold ${threshold}). Options:`,
        ...options.map((o, i) => `  ${i + 1}. ${o.label}  →  --option ${o.option}`),
        'Ask the user which, then re-run with --option NAME --yes.',
      ].join('\n');
      if (ctx.json) printJson(ctx, { cycles, threshold, stage: 'options', options });
      else ctx.stdout(text);
      return EXIT.needs_confirmation;
    }

    const chosen = options.find((o) => o.option === option)!;
    const decision = decideCheckpoint({
      name: 'debug_escalation',
      mode: config.checkpoints.debug_escalation,
      triggered: cycles >= threshold,
      trigger: `${cycles} failed debug cycle(s) (threshold ${threshold}); option "${option}" chosen`,
      explicit: false, // escalation is always confirmed (§5.3), even when chosen by name
      confirmed: flags.yes === true,
      alwaysAsk: true,
    });
    // A chosen option is the user's explicit request: "off" does not veto it, --yes is still
    // required (without it, "off"'s skip would tell the user to pass a --with this command lacks).
    const effective =
      decision.action !== 'skip'
        ? decision
        : flags.yes === true
          ? { ...decision, action: 'run' as const, reason: `${decision.reason}; run on explicit request` }
          : {
              ...decision,
              action: 'ask' as const,
              reason: `checkpoints.debug_escalation = "off", but option "${option}" was chosen explicitly: confirm with the user, then re-run with --yes`,
            };
    // The confirmed re-run must send the same context: keep every input flag.
    const inputs = [
      `--error ${flags.error}`,
      ...(typeof flags.tried === 'string' ? [`--tried ${flags.tried}`] : []),
      ...((flags.files as string[] | undefined) ?? []).map((f) => `--files ${f}`),
      ...(flags.cycles !== undefined ? [`--cycles ${flags.cycles}`] : []),
    ];
    const stop = applyDecision(
      ctx,
      root,
      `mm escalate debug ${inputs.join(' ')} --option ${option}`,
      effective,
      chosen.label,
    );
    if (stop !== null) return stop;

    if (option === 'claude') {
      const text =
        'Continue with Claude: take a different approach from those tried; re-read the error from the first failing frame, and check assumptions against the repository.';
      recordReview(root, ctx.env, 'debug', { option, cycles, message: text });
      if (ctx.json) printJson(ctx, { option, cycles, message: text });
      else ctx.stdout(text);
      return EXIT.ok;
    }

    const files = (flags.files as string[] | undefined) ?? [];
    const related = files.length
      ? (loadRelated(root)?.(files) ?? [])
          .slice(0, 30)
          .map(
            (r) =>
              `- ${r.path} (${r.relation === 'imports' ? 'imported by' : 'imports'} ${r.of})${r.symbols.length ? `: ${r.symbols.slice(0, 12).join(', ')}` : ''}`,
          )
      : [];
    const result = await escalateDebug({
      option,
      error,
      tried,
      files,
      related,
      config,
      root: await repoRoot(root),
      invoke,
      ctx: { loaded, registry, env: ctx.env, root },
    });
    const recorded = recordReview(root, ctx.env, 'debug', { cycles, result });
    if (ctx.json) printJson(ctx, { cycles, checkpoint: effective, result, recorded });
    else if (!result.analysis)
      ctx.stdout(renderCouldNotRun('Debug escalation', result.model, result.status, result.error));
    else {
      const a = result.analysis;
      ctx.stdout(
        [
          `## Root-cause analysis by ${result.model} (${a.confidence} confidence${a.reproduced ? ', reproduced' : ''}${a.rechecked_against_repo ? ', re-checked against the repo' : ''})`,
          a.root_cause,
          '',
          ...(a.evidence.length ? ['Evidence:', ...a.evidence.map((e) => `- ${e}`), ''] : []),
          `Proposed fix (NOT applied — delegate it to a Claude agent): ${a.proposed_fix.summary}`,
          ...a.proposed_fix.files.map((f) => `- ${f.path}: ${f.change}`),
          ...(a.next_steps.length ? ['', 'Next steps:', ...a.next_steps.map((s) => `- ${s}`)] : []),
          result.scratch
            ? `\n(Codex worked in a scratch worktree, now removed; your working tree was not touched.)`
            : '',
        ].join('\n'),
      );
    }
    return exitForStatus(result.status);
  };
}

export const runEscalateDebug: Handler = makeEscalateDebug(invokeModel);
