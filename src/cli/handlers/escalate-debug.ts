import { projectRoot } from '../../config/locate.ts';
import { repoRoot } from '../../git/git.ts';
import { loadRelated } from '../../context/load-related.ts';
import { invokeModel, type InvokeFn } from '../../providers/index.ts';
import { recordReview } from '../../runs/records.ts';
import { readRunState } from '../../runs/state.ts';
import { MmError } from '../../util/errors.ts';
import { debugOptions, decideEscalation, escalateDebug, type DebugOption } from '../../workflows/escalate/debug.ts';
import { renderCouldNotRun } from '../../workflows/review/render.ts';
import type { Handler } from '../spec.ts';
import { progress } from '../../jobs/progress.ts';
import { applyDecision } from '../checkpoint-output.ts';
import { rerunCommand } from '../rerun.ts';
import { exitForStatus, EXIT } from '../exit-codes.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

export function makeEscalateDebug(invoke: InvokeFn): Handler {
  return async (args, ctx) => {
    const { flags, text } = args;
    if (typeof text.error !== 'string')
      throw new MmError('usage', 'mm escalate debug: --error FILE is required (stack trace or failing test output)');
    const error = text.error;
    const tried = typeof text.tried === 'string' ? text.tried : '';
    const loaded = await loadConfigFor(ctx);
    const { config, registry, path } = loaded;
    const root = projectRoot(ctx.cwd, path);
    const cycles =
      (flags['debug-cycles'] as number | undefined) ?? (await readRunState(root, ctx.env))?.debug.failed_cycles ?? 0;
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
    const effective = decideEscalation({ config, cycles, option, confirmed: flags.yes === true });
    const stop = applyDecision(ctx, root, rerunCommand(ctx.command, args), effective, chosen.label);
    if (stop !== null) return stop;

    if (option === 'claude') {
      const text =
        'Continue with Claude: take a different approach from those tried; re-read the error from the first failing frame, and check assumptions against the repository.';
      recordReview(root, ctx.env, 'debug', { option, cycles, message: text });
      if (ctx.json) printJson(ctx, { option, cycles, message: text });
      else ctx.stdout(text);
      return EXIT.ok;
    }

    const files = (flags.file as string[] | undefined) ?? [];
    const related = files.length
      ? (loadRelated(root)?.(files) ?? [])
          .slice(0, 30)
          .map(
            (r) =>
              `- ${r.path} (${r.relation === 'imports' ? 'imported by' : 'imports'} ${r.of})${r.symbols.length ? `: ${r.symbols.slice(0, 12).join(', ')}` : ''}`,
          )
      : [];
    progress({ phase: `debug escalation: ${option} root-cause analysis` });
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
          result.scratch ? `\n(Codex worked in a scratch clone, now removed; your working tree was not touched.)` : '',
        ].join('\n'),
      );
    }
    return exitForStatus(result.status);
  };
}

export const runEscalateDebug: Handler = makeEscalateDebug(invokeModel);
