import { projectRoot } from '../../config/locate.ts';
import { repoRoot } from '../../git/git.ts';
import { loadRelated } from '../../context/load-related.ts';
import { invokeModel, type InvokeFn } from '../../providers/index.ts';
import { recordArtifact, recordReview } from '../../runs/records.ts';
import { readRunState } from '../../runs/state.ts';
import { MmError } from '../../util/errors.ts';
import {
  debugOptions,
  decideEscalation,
  escalateDebug,
  type DebugOption,
  type EscalationResult,
} from '../../workflows/escalate/debug.ts';
import { classifyEnvironment, type EnvironmentVerdict } from '../../workflows/escalate/environment-signals.ts';
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
    const environment = classifyEnvironment({ error, tried, declared: flags.environment === true });
    const options = debugOptions(config, environment);
    if (flags.link !== undefined && option !== 'sandbox')
      throw new MmError(
        'usage',
        'mm escalate debug: --link is for --option sandbox (the other options read your tree itself)',
      );
    if (option === 'sandbox' && !environment.specific)
      throw new MmError(
        'usage',
        'mm escalate debug: --option sandbox is for environment-specific failures, and the error shows no sign of one (missing tool or native module, version mismatch, works on CI but not here…); add --environment if it is one',
        { hint: 'otherwise choose codex or gemini (read-only)' },
      );

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
        ...environmentLines(environment),
        'Ask the user which, then re-run with --option NAME --yes.',
      ].join('\n');
      if (ctx.json) printJson(ctx, { cycles, threshold, stage: 'options', options, environment });
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
    progress({
      phase:
        option === 'sandbox'
          ? 'debug escalation: reproducing in a Codex sandbox (isolated copy)'
          : `debug escalation: ${option} root-cause analysis`,
    });
    const result = await escalateDebug({
      option,
      error,
      tried,
      files,
      related,
      environment,
      config,
      root: await repoRoot(root),
      projectRoot: root,
      links: (flags.link as string[] | undefined) ?? [],
      invoke,
      ctx: { loaded, registry, env: ctx.env, root },
    });
    // The sandbox's edits are kept in the run store for review; they never reach the tree by themselves.
    const patchPath =
      result.sandbox && result.sandbox.patch
        ? recordArtifact(root, ctx.env, `debug-sandbox-${Date.now()}.patch`, result.sandbox.patch)
        : undefined;
    const recorded = recordReview(root, ctx.env, 'debug', { cycles, environment, result, patch: patchPath ?? null });
    if (ctx.json)
      printJson(ctx, { cycles, checkpoint: effective, environment, result, patch: patchPath ?? null, recorded });
    else if (!result.analysis)
      ctx.stdout(
        [
          renderCouldNotRun('Debug escalation', result.model, result.status, result.error),
          ...sandboxLines(result, patchPath),
        ].join('\n'),
      );
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
          ...sandboxLines(result, patchPath),
        ].join('\n'),
      );
    }
    return exitForStatus(result.status);
  };
}

function environmentLines(env: EnvironmentVerdict): string[] {
  if (!env.specific) return [];
  const why = env.signals.length
    ? env.signals.map((s) => `${s.label} ("${s.match}")`).join('; ')
    : 'you said so (--environment)';
  return [`The failure looks environment-specific: ${why}. The sandbox option can reproduce it.`];
}

/** The sandbox's patch, shown for review: Claude or the user decide whether it lands. */
function sandboxLines(result: EscalationResult, patchPath: string | undefined): string[] {
  const s = result.sandbox;
  if (!s) return [];
  const lines = [
    '',
    `Codex worked in an isolated copy (${s.copied} files; removed afterwards); your working tree was not touched.`,
    ...(s.withheld.length ? [`Left out of the copy: ${s.withheld.join(', ')}`] : []),
  ];
  if (!patchPath) return [...lines, 'Codex left no edits in the copy.'];
  const shown = s.patch.split('\n');
  return [
    ...lines,
    `Patch from the sandbox (NOT applied; review it, then apply with \`git apply ${patchPath}\` or hand it to a Claude agent): ${s.files.join(', ')}`,
    '```diff',
    ...shown.slice(0, 300),
    ...(shown.length > 300 ? [`[… ${shown.length - 300} more lines in ${patchPath}]`] : []),
    '```',
  ];
}

export const runEscalateDebug: Handler = makeEscalateDebug(invokeModel);
