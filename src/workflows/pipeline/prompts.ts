/**
 * The calls of each pipeline phase, as planned calls for the fan-out executor (so
 * fallbacks, concurrency limits and the ledger work as for `mm fanout`); the prompts are
 * prompts/*.md. Every prompt names its role on its first line ("Pipeline role: X"), which the report and the
 * tests' fake servers read.
 */
import type { Assignment } from '../mao/assign.ts';
import type { FanoutResult, PlannedCall } from '../fanout/types.ts';
import { ANALYSIS_ROLES, IMPLEMENTATION_ROLES, SYNTHESIZER, type Role } from './roles.ts';
import type { Problem } from '../handoff/problems.ts';
import { fillTemplate } from '../../util/template.ts';
import analysisTemplate from './prompts/analysis.md';
import answerTemplate from './prompts/answer.md';
import implementationTemplate from './prompts/implementation.md';
import noAnswerTemplate from './prompts/no-answer.md';
import proposalTemplate from './prompts/proposal.md';
import repairTemplate from './prompts/repair.md';
import reviewTemplate from './prompts/review.md';
import synthesisTemplate from './prompts/synthesis.md';

/** What one answer may carry into a later prompt. */
const ANSWER_CHARS = 12_000;

const roleOf = (key: string): Role =>
  [...ANALYSIS_ROLES, SYNTHESIZER, ...IMPLEMENTATION_ROLES].find((r) => r.key === key)!;

function call(a: Assignment, prompt: string, label = a.key): PlannedCall {
  return {
    label,
    model: a.model,
    fallbacks: a.fallbacks,
    complexity: 'complex',
    prompt,
    task: `pipeline:${label}`,
  };
}

/** The placeholders every prompt's first line ("Pipeline role: …") fills. */
const head = (role: Role) => ({ role: role.key, title: role.title, ask: role.ask });

/** What one call answered, trimmed for a later prompt, or why there is nothing. */
const answerOf = (r: FanoutResult) =>
  r.ok ? r.text.trim().slice(0, ANSWER_CHARS) : fillTemplate(noAnswerTemplate, { error: r.error });

export function analysisCalls(assignments: Assignment[], task: string): PlannedCall[] {
  return assignments.map((a) => call(a, fillTemplate(analysisTemplate, { ...head(roleOf(a.key)), task })));
}

function analysesBlock(results: FanoutResult[]): string {
  return results
    .map((r) => fillTemplate(answerTemplate, { title: roleOf(r.label).title, model: r.model, answer: answerOf(r) }))
    .join('\n\n');
}

export function synthesisCall(a: Assignment, task: string, analyses: FanoutResult[], template: string): PlannedCall {
  return call(
    a,
    fillTemplate(synthesisTemplate, { ...head(SYNTHESIZER), task, analyses: analysesBlock(analyses), template }),
  );
}

export function repairCall(synthesis: PlannedCall, spec: string, problems: Problem[]): PlannedCall {
  return {
    ...synthesis,
    label: 'synthesizer-repair',
    task: 'pipeline:synthesizer',
    prompt: fillTemplate(repairTemplate, {
      ...head(SYNTHESIZER),
      problems: problems.map((p) => `- ${p.code}: ${p.message}${p.line ? ` (line ${p.line})` : ''}`).join('\n'),
      spec,
    }),
  };
}

/** The patch roles' prompts: the spec, and the answer format the collector reads. */
export function implementationCalls(assignments: Assignment[], spec: string): PlannedCall[] {
  return assignments
    .filter((a) => IMPLEMENTATION_ROLES.find((r) => r.key === a.key)?.produces === 'patch')
    .map((a) => call(a, fillTemplate(implementationTemplate, { ...head(roleOf(a.key)), spec })));
}

/** The reviewer reads the spec and what the patch roles answered. */
export function reviewCalls(assignments: Assignment[], spec: string, patches: FanoutResult[]): PlannedCall[] {
  const proposals = patches
    .map((p) => fillTemplate(proposalTemplate, { label: p.label, model: p.model, answer: answerOf(p) }))
    .join('\n\n');
  return assignments
    .filter((a) => IMPLEMENTATION_ROLES.find((r) => r.key === a.key)?.produces === 'review')
    .map((a) => call(a, fillTemplate(reviewTemplate, { ...head(roleOf(a.key)), spec, proposals })));
}

/** A synthesiser's answer as a spec: from its "# Code Spec" heading, outside any wrapping fence. */
export function specFromAnswer(text: string): string {
  const start = text.search(/^# Code Spec\b/m);
  let spec = start >= 0 ? text.slice(start) : text;
  // A reply wrapped in ```markdown … ``` leaves the closing fence at the end.
  if (start > 0 && /^```\w*\s*$/m.test(text.slice(0, start).split('\n').slice(-2).join('\n')))
    spec = spec.replace(/\n```\s*$/, '\n');
  return `${spec.trim()}\n`;
}

/**
 * Every call the run will make, for the cost estimate before any of them: the later
 * phases' prompts are not known yet, so the template stands in for the spec (a repair
 * round, when needed, is one more synthesiser call).
 */
export function estimateCalls(
  plan: { task: string; analysis: Assignment[]; synthesizer: Assignment; implementation: Assignment[] },
  template: string,
): PlannedCall[] {
  const analyses = analysisCalls(plan.analysis, plan.task);
  const stand = `${plan.task}\n\n${template}`;
  return [
    ...analyses,
    synthesisCall(plan.synthesizer, plan.task, [], template),
    ...implementationCalls(plan.implementation, stand),
    ...reviewCalls(plan.implementation, stand, []),
  ];
}
