/** Markdown for people: verdicts, findings, and two reviews side by side. */
import type { DiffReviewResult } from './diff-review.ts';
import { compareReviews } from './diff-review.ts';
import type { DiffFinding, PlanFinding, PlanVerdict } from './verdicts.ts';

const place = (f: DiffFinding) => `${f.file}:${f.line_start}${f.line_end !== f.line_start ? `-${f.line_end}` : ''}`;
const sure = (c: number | null | undefined) => (typeof c === 'number' ? ` (confidence ${c.toFixed(2)})` : '');
const diffLine = (f: DiffFinding) =>
  `- **${f.severity}** \`${place(f)}\` ${f.detail}${sure(f.confidence)}\n  → ${f.recommendation}`;
const planLines = (f: PlanFinding) =>
  f.line_start
    ? ` plan line${f.line_end && f.line_end !== f.line_start ? `s ${f.line_start}-${f.line_end}` : ` ${f.line_start}`}`
    : '';
const planLine = (f: PlanFinding) =>
  `- **${f.severity}** [${f.area}]${planLines(f)}${f.file ? ` \`${f.file}\`` : ''} ${f.detail}${sure(f.confidence)}\n  → ${f.recommendation}`;

export const NOT_A_VERDICT = 'This is not a verdict: the review did not run. Do not read it as a pass.';

export function renderPlanReview(verdict: PlanVerdict, model: string, planPath: string): string {
  return [
    `## Plan review of ${planPath} by ${model}: ${verdict.verdict}`,
    verdict.summary,
    '',
    ...(verdict.findings.length ? verdict.findings.map(planLine) : ['No findings.']),
    '',
    'Findings are input for Claude to weigh; nothing was applied.',
  ].join('\n');
}

export function renderCouldNotRun(what: string, model: string, status: string, error: string | undefined): string {
  return [`## ${what} by ${model}: COULD NOT RUN (${status})`, error ?? '', NOT_A_VERDICT].filter(Boolean).join('\n');
}

export function renderDiffReview(r: DiffReviewResult): string {
  const by = r.answered_by
    ? `${r.reviewer.model}, answered by ${r.answered_by.join(' + ')} after a rate limit`
    : r.reviewer.model;
  const head = `## Diff review by ${by} (${r.reviewer.why})`;
  if (r.status !== 'ok' || !r.verdict) return renderCouldNotRun('Diff review', r.reviewer.model, r.status, r.error);
  return [
    `${head}: ${r.verdict.verdict}`,
    r.verdict.summary,
    r.chunks > 1 ? `(reviewed in ${r.chunks} chunks, merged)` : '',
    '',
    ...(r.verdict.findings.length ? r.verdict.findings.map(diffLine) : ['No findings.']),
  ]
    .filter((l, i) => l !== '' || i > 0)
    .join('\n');
}

export function renderSideBySide(a: DiffReviewResult, b: DiffReviewResult): string {
  const parts = [renderDiffReview(a), '', renderDiffReview(b), ''];
  if (!a.verdict || !b.verdict) {
    parts.push('## Comparison', 'Not both reviews ran: nothing to compare. A review that did not run is not a pass.');
    return parts.join('\n');
  }
  const c = compareReviews(a.verdict, b.verdict);
  parts.push(
    '## Comparison',
    c.verdictsAgree
      ? `Both say ${a.verdict.verdict}.`
      : `Verdicts DISAGREE: ${a.reviewer.model} says ${a.verdict.verdict}, ${b.reviewer.model} says ${b.verdict.verdict}.`,
    '',
    `### Agreed by both (${c.agreements.length})`,
    ...c.agreements.map(({ a: fa, b: fb }) => `- \`${place(fa)}\` ${fa.detail} / ${fb.detail}`),
    '',
    `### Only ${a.reviewer.model} (${c.onlyA.length})`,
    ...c.onlyA.map(diffLine),
    '',
    `### Only ${b.reviewer.model} (${c.onlyB.length})`,
    ...c.onlyB.map(diffLine),
    '',
    'A disagreement about behaviour is settled by tests, not by either model: see `mm referee`.',
  );
  return parts.join('\n');
}
