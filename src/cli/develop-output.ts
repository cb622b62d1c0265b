/** What `mm develop run` and `mm runs resume` of a develop run print: stage progress on stderr, then the report. */
import { readRunJson } from '../runs/store.ts';
import type { CallRecord } from '../workflows/fanout/run.ts';
import { reportMarkdown, type DevelopReport } from '../workflows/mao/develop-pipeline.ts';
import { printJson } from './config-context.ts';
import { printFallbacks } from './fanout-output.ts';
import type { CommandContext } from './spec.ts';

/** Stage and Phase 5 progress on stderr (not under --json). */
export function stagePrinters(ctx: CommandContext) {
  return {
    onStage: (stage: string[]) => {
      if (!ctx.json) ctx.stderr(`stage: ${stage.join(', ')}`);
    },
    say: (line: string) => {
      if (!ctx.json) ctx.stderr(line);
    },
  };
}

export function printDevelopReport(ctx: CommandContext, root: string, report: DevelopReport): number {
  const records = readRunJson<CallRecord[]>(root, report.run_id, 'outputs/attempts.json') ?? [];
  printFallbacks(ctx, records);
  if (ctx.json) printJson(ctx, report);
  else ctx.stdout(`${reportMarkdown(report)}Saved: .claude/mm/runs/${report.run_id}/outputs/report.md`);
  return report.results.some((r) => r.ok) ? 0 : 1;
}
