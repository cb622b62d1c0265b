/**
 * What the checkpoints recorded in one run, in a shape `mm runs show` can print:
 * the decisions in order, and one line per review (kind, verdict or why it did not run).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listReviews, readCheckpoints, type CheckpointRecord } from './records.ts';

export interface ReviewLine {
  file: string;
  kind: string;
  at: string;
  /** PASS/CONCERN/BLOCK, LGTM/ISSUES, or "could not run (<status>)". */
  outcome: string;
}

export function summariseCheckpoints(runDir: string): { checkpoints: CheckpointRecord[]; reviews: ReviewLine[] } {
  const reviews = listReviews(runDir).map((file): ReviewLine => {
    try {
      const r = JSON.parse(readFileSync(join(runDir, 'reviews', file), 'utf8'));
      return { file, kind: r.kind ?? '?', at: r.at ?? '', outcome: outcomeOf(r) };
    } catch {
      return { file, kind: '?', at: '', outcome: 'unreadable record' };
    }
  });
  return { checkpoints: readCheckpoints(runDir), reviews };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- stored review records of every past shape; each field is checked where read */
function outcomeOf(r: any): string {
  const results: any[] = r.results ?? (r.result ? [r.result] : []);
  if (!results.length) return r.message ? 'continued with Claude' : 'no result';
  return results
    .map((x) => {
      const named = x.reviewer?.model ?? x.model ?? x.label ?? '';
      const answeredBy = [x.answered_by].flat().filter(Boolean).join(' + ');
      const label = answeredBy ? `${named} (answered by ${answeredBy})` : named;
      const verdict = x.verdict?.verdict ?? x.answer?.position ?? (x.analysis ? 'root cause found' : null);
      return `${label ? `${label}: ` : ''}${x.status === 'ok' && verdict ? verdict : `could not run (${x.status})`}`;
    })
    .join('; ');
}
/* eslint-enable @typescript-eslint/no-explicit-any */
