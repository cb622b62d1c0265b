import type { CommandContext, Handler } from '../commands.ts';
import { printJson } from '../config-context.ts';
import { invokeModel } from '../../providers/index.ts';
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
      return planCompetitive(task, models.length ? models : defaultCompetitors(config, registry));
    }
    case 'division':
      return planDivision([...specs, ...fromFile], models);
    case 'swarm':
      return planSwarm([...fromFile, ...specs], registry);
  }
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

export function printResults(ctx: CommandContext, out: StoredFanout, materialized: Materialized[] | null): void {
  if (ctx.json) {
    printJson(ctx, { results: out.results, summary: out.summary }); // the published shape, nothing more
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
  printResults(ctx, out, materialized);
  return out.summary.succeeded > 0 ? 0 : 1;
};
