/** What `mm pipeline` and `mm runs resume` of a pipeline run print: progress on stderr, then the report. */
import type { PipelineOptions, PipelineReport } from '../workflows/pipeline/run.ts';
import { pipelineMarkdown } from '../workflows/pipeline/report.ts';
import { printJson } from './config-context.ts';
import { printFallbacks } from './fanout-output.ts';
import type { CommandContext } from './spec.ts';

export function pipelinePrinters(ctx: CommandContext): Pick<PipelineOptions, 'onPhase' | 'onSkipped' | 'onRecords'> {
  return {
    onPhase: (phase) => {
      if (!ctx.json) ctx.stderr(`phase: ${phase}`);
    },
    onSkipped: (s) => ctx.stderr(`mm: ${s.label}: not attaching ${s.path} (${s.why})`),
    onRecords: (records) => printFallbacks(ctx, records),
  };
}

/** Exit 0 when some patch came out (it may still need review), 1 when none did. */
export function printPipelineReport(ctx: CommandContext, report: PipelineReport): number {
  if (ctx.json) printJson(ctx, report);
  else ctx.stdout(`${pipelineMarkdown(report)}Saved: .claude/mm/runs/${report.run_id}/outputs/report.md`);
  return report.candidates.some((c) => c.patch_file) ? 0 : 1;
}
