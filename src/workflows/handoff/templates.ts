/**
 * Fills the Code Spec and Code Report templates (templates/code_spec.md, code_report.md,
 * the dual-model design's formats verbatim) with what mm knows: ids, model names,
 * timestamps, the spec's file list. Everything else stays a placeholder for the model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assets } from '../../util/package-root.ts';
import type { SpecFile } from './validate-spec.ts';

export const loadTemplate = (name: 'code_spec.md' | 'code_report.md') =>
  readFileSync(join(assets().templates, name), 'utf8');

export interface SpecFill {
  title: string;
  specId: string;
  architect: string;
  created: string;
  priority?: 'P0' | 'P1' | 'P2';
  /** Batch mode: this spec's number (1-based) and how many there are. */
  batch?: { index: number; total: number };
}

export function renderSpec(template: string, fill: SpecFill): string {
  let text = template
    .replace('[Brief Title]', fill.title)
    .replace('[unique id, e.g. CS-001]', fill.specId)
    .replace('**Architect:** [model name]', `**Architect:** ${fill.architect}`)
    .replace('**Created:** [timestamp]', `**Created:** ${fill.created}`);
  if (fill.priority) text = text.replace('[P0/P1/P2]', fill.priority);
  if (fill.batch && fill.batch.index === 1) {
    const n = String(fill.batch.total).padStart(2, '0');
    text = text.replace(
      '\n## Objective',
      `\n> [!NOTE]\n> **Batch Mode Active.** Implement specs 01 through ${n} sequentially.\n> File a single consolidated Code Report when all are complete.\n\n## Objective`,
    );
  }
  return text;
}

export interface ReportFill {
  specId: string;
  coder: string;
  completed: string;
  specLink: string;
  /** Files the spec lists, pre-filled into the Files Changed table. */
  files: Array<SpecFile & { lines?: string }>;
}

const ACTION_WORD = { MODIFY: 'Modified', NEW: 'Created', DELETE: 'Deleted' } as const;

export function renderReport(template: string, fill: ReportFill): string {
  let text = template
    .replace('[Spec ID]', fill.specId)
    .replace('**Coder:** [model name]', `**Coder:** ${fill.coder}`)
    .replace('**Completed:** [timestamp]', `**Completed:** ${fill.completed}`)
    .replace('[link to code_spec.md]', fill.specLink);
  if (fill.files.length) {
    const rows = fill.files
      .map((f) => `| \`${f.path}\` | ${ACTION_WORD[f.action]} | ${f.lines ?? '[+N / -N]'} |`)
      .join('\n');
    text = text.replace(
      /\| `path\/to\/file\.rs` \| Modified \| \+25 \/ -10 \|\n\| `path\/to\/new\.rs` \| Created \| \+80 \|/,
      rows,
    );
  }
  return text;
}
