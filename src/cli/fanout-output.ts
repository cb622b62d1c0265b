/**
 * What fan-out style commands (mm fanout, mm develop run, mm runs resume) print: the cost
 * estimate before the run and the per-call results after it.
 */
import type { Config } from '../config/schema.ts';
import type { Registry } from '../registry/registry.ts';
import { checkAndEstimate, formatEstimate } from '../workflows/fanout/cost.ts';
import { answerFile, type Materialized, type StoredFanout } from '../workflows/fanout/execute.ts';
import type { IgnoredParams } from '../workflows/fanout/ignored.ts';
import type { CallRecord } from '../workflows/fanout/run.ts';
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

/** Fallback hops, one line each, on stderr as `mm ask` shows them. */
export function printFallbacks(ctx: Output, records: CallRecord[]): void {
  for (const r of records)
    r.attempts.forEach((a, i) => {
      const next = r.attempts[i + 1];
      if (next)
        ctx.stderr(
          `mm: ${r.label}: fallback from ${a.model} to ${next.model} (${a.status}${a.error ? `: ${a.error.slice(0, 160)}` : ''})`,
        );
    });
}

export function printResults(
  ctx: Output,
  out: StoredFanout,
  materialized: Materialized[] | null,
  ignored: IgnoredParams = [],
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
