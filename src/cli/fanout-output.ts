/**
 * What fan-out style commands (mm fanout, mm develop run, mm runs resume) print: the cost
 * estimate before the run and the per-call results after it.
 */
import type { Config } from '../config/schema.ts';
import type { Registry } from '../registry/registry.ts';
import { checkAndEstimate, formatEstimate } from '../workflows/fanout/cost.ts';
import { answerFile, type Materialized, type StoredFanout } from '../workflows/fanout/execute.ts';
import type { PlannedCall } from '../workflows/fanout/types.ts';
import { printJson } from './config-context.ts';
import type { CommandContext } from './spec.ts';

type Output = Pick<CommandContext, 'stdout' | 'stderr' | 'json'>;

export async function confirmAndReport(
  ctx: Output,
  calls: PlannedCall[],
  registry: Registry,
  config: Config,
  yes: boolean,
  command: string,
): Promise<void> {
  const estimate = checkAndEstimate(calls, registry, config, yes, command);
  if (!ctx.json) ctx.stderr(formatEstimate(estimate));
}

export function printResults(ctx: Output, out: StoredFanout, materialized: Materialized[] | null): void {
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
