import type { CommandContext, Handler } from '../commands.ts';
import { printJson } from '../config-context.ts';
import { invokeModel, type InvokeContext } from '../../providers/index.ts';
import { resolveTarget } from '../../providers/resolve.ts';
import type { Config } from '../../config/schema.ts';
import type { Registry } from '../../registry/registry.ts';
import { MmError } from '../../util/errors.ts';
import { estimateCost, formatEstimate, requireConfirmation } from '../../workflows/fanout/cost.ts';
import {
  answerFile,
  executeAsRun,
  materialize,
  type Materialized,
  type StoredFanout,
} from '../../workflows/fanout/execute.ts';
import { planCompetitive, planDivision, planSwarm } from '../../workflows/fanout/plan.ts';
import { loadTasks, specTask } from '../../workflows/fanout/tasks.ts';
import type { FanoutMode, FanoutTask, PlannedCall } from '../../workflows/fanout/types.ts';
import { chunkLimit } from '../../context/packet.ts';
import { ignoredSampling } from '../../providers/sampling.ts';
import type { CallRecord } from '../../workflows/fanout/run.ts';
import { filesNamedIn } from '../../workflows/fanout/spec-files.ts';
import { progressPrinter, seconds, stringList, workflowContext } from './workflow-context.ts';

/** Competitive mode without --model: the configured coding models of each enabled integration. */
function defaultCompetitors(config: Config, registry: Registry): string[] {
  const ids = [
    config.models.codex.default_model,
    config.models.gemini.default_model,
    config.models.defaults.implementation,
  ];
  return [...new Set(ids)].filter((id) => {
    const entry = registry.find(id);
    return entry !== undefined && registry.isEnabled(entry);
  });
}

function planFor(
  mode: FanoutMode,
  flags: Record<string, unknown>,
  ctx: CommandContext,
  config: Config,
  registry: Registry,
): PlannedCall[] {
  const specs = stringList(flags.spec).map((p) => specTask(p, ctx.cwd));
  const fromFile: FanoutTask[] = typeof flags.tasks === 'string' ? loadTasks(flags.tasks, ctx.cwd) : [];
  const models = stringList(flags.model);
  switch (mode) {
    case 'competitive': {
      const prompt = typeof flags.prompt === 'string' ? flags.prompt : undefined;
      const task = specs[0] ?? (prompt ? { prompt } : fromFile[0]);
      if (!task || specs.length + fromFile.length + (prompt ? 1 : 0) !== 1)
        throw new MmError('usage', 'competitive fan-out takes exactly one spec: --spec FILE or --prompt TEXT');
      return withNamedFiles(
        planCompetitive(task, models.length ? models : defaultCompetitors(config, registry)),
        ctx,
        config,
        registry,
      );
    }
    case 'division':
      return withNamedFiles(planDivision([...specs, ...fromFile], models), ctx, config, registry);
    case 'swarm':
      return planSwarm([...fromFile, ...specs], registry);
  }
}

/**
 * Each call gets the files its spec names, within the review packets' size limit for
 * its model; the secrets guard withholds secret paths when the call is made.
 */
function withNamedFiles(calls: PlannedCall[], ctx: CommandContext, config: Config, registry: Registry): PlannedCall[] {
  return calls.map((c) => {
    const budget = chunkLimit(config.models.gemini.chunking_threshold, [registry.find(c.model)?.context_in]);
    const named = filesNamedIn(c.prompt, ctx.cwd, budget);
    for (const s of named.skipped) ctx.stderr(`mm: ${c.label}: not attaching ${s.path} (${s.why})`);
    return named.files.length ? { ...c, files: named.files } : c;
  });
}

/** Where a model will not receive an asked-for temperature or max_tokens (said, never pretended). */
export function ignoredParams(calls: PlannedCall[], registry: Registry, invokeCtx?: InvokeContext) {
  const adapterOf = (c: PlannedCall) => {
    try {
      return invokeCtx ? resolveTarget(c.model, { task: c.task }, invokeCtx).adapter : undefined;
    } catch {
      return undefined; // an unknown model fails at the call, with its own message
    }
  };
  return calls.flatMap((c) => {
    const ignored = ignoredSampling(
      registry.find(c.model),
      { temperature: c.temperature, maxTokens: c.maxTokens },
      adapterOf(c),
    );
    return ignored ? [{ label: c.label, model: c.model, ...ignored }] : [];
  });
}

/** Fallback hops, one line each, on stderr as `mm ask` shows them. */
export function printFallbacks(ctx: CommandContext, records: CallRecord[]): void {
  for (const r of records)
    r.attempts.forEach((a, i) => {
      const next = r.attempts[i + 1];
      if (next)
        ctx.stderr(
          `mm: ${r.label}: fallback from ${a.model} to ${next.model} (${a.status}${a.error ? `: ${a.error.slice(0, 160)}` : ''})`,
        );
    });
}

export async function confirmAndReport(
  ctx: CommandContext,
  calls: PlannedCall[],
  registry: Registry,
  config: Config,
  yes: boolean,
  command: string,
): Promise<void> {
  for (const c of calls) for (const m of [c.model, ...c.fallbacks]) registry.get(m, `${command} (${c.label})`);
  const estimate = estimateCost(calls, registry, config.fanout.estimate_output_tokens);
  requireConfirmation(estimate, yes, command);
  if (!ctx.json) ctx.stderr(formatEstimate(estimate));
}

export function printResults(
  ctx: CommandContext,
  out: StoredFanout,
  materialized: Materialized[] | null,
  ignored: ReturnType<typeof ignoredParams> = [],
): void {
  printFallbacks(ctx, out.records);
  if (ctx.json) {
    // The published shape; `ignored` only when a model did not receive an asked-for parameter.
    printJson(ctx, { results: out.results, summary: out.summary, ...(ignored.length ? { ignored } : {}) });
    ctx.stderr(`run: ${out.runId}`);
    for (const m of materialized ?? []) ctx.stderr(`candidate ${m.label}: ${m.path ?? `none (${m.reason})`}`);
    return;
  }
  for (const r of out.results) {
    ctx.stdout(
      r.ok
        ? `✓ ${r.label} — ${r.model} (${r.complexity}): ${r.text.length} chars → ${answerFile(r.label)}`
        : `✗ ${r.label} — ${r.model} (${r.complexity}): ${r.error}`,
    );
  }
  for (const i of ignored) ctx.stdout(`note: ${i.label} (${i.model}) ignores ${i.params.join(', ')}: ${i.why}`);
  ctx.stdout(`${out.summary.succeeded}/${out.summary.total} succeeded · run ${out.runId} (mm runs show ${out.runId})`);
  if (materialized) {
    for (const m of materialized) ctx.stdout(`candidate ${m.label}: ${m.path ?? `none (${m.reason})`}`);
    const paths = materialized.filter((m) => m.path).map((m) => m.path!);
    if (paths.length >= 2)
      ctx.stdout(`Judge two: mm referee --a ${paths[0]} --b ${paths[1]} --test "<your test command>"`);
  }
}

export const runFanoutCommand: Handler = async ({ flags }, ctx) => {
  const mode = flags.mode as FanoutMode | undefined;
  if (!mode) throw new MmError('usage', 'mm fanout needs --mode competitive|division|swarm');
  const { config, registry, root, invokeCtx } = await workflowContext(ctx);
  const calls = planFor(mode, flags, ctx, config, registry);
  await confirmAndReport(ctx, calls, registry, config, flags.yes === true, 'mm fanout');
  const out = await executeAsRun(
    'fanout',
    calls,
    {
      invoke: invokeModel,
      ctx: invokeCtx,
      config,
      registry,
      cwd: ctx.cwd,
      root,
      env: ctx.env,
      timeoutMs: seconds(flags.timeout),
      onProgress: progressPrinter(ctx, `fanout ${mode}`),
    },
    `fanout ${mode} (${calls.length} calls)`,
    { mode },
  );
  const materialized = flags.materialize === true ? materialize(root, out.runId, out.results) : null;
  printResults(ctx, out, materialized, ignoredParams(calls, registry, invokeCtx));
  return out.summary.succeeded > 0 ? 0 : 1;
};
