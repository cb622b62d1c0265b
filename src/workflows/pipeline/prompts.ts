/**
 * The calls of each pipeline phase, as planned calls for the fan-out executor (so
 * fallbacks, concurrency limits and the ledger work as for `mm fanout`). Every prompt
 * names its role on its first line ("Pipeline role: X"), which the report and the
 * tests' fake servers read.
 */
import type { Assignment } from '../mao/assign.ts';
import type { FanoutResult, PlannedCall } from '../fanout/types.ts';
import { ANALYSIS_ROLES, IMPLEMENTATION_ROLES, SYNTHESIZER, type Role } from './roles.ts';
import type { Problem } from '../handoff/problems.ts';

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

const head = (role: Role) => `Pipeline role: ${role.key}. You are the ${role.title}. ${role.ask}`;

export function analysisCalls(assignments: Assignment[], task: string): PlannedCall[] {
  return assignments.map((a) =>
    call(
      a,
      `${head(roleOf(a.key))}\nAnswer in at most 25 bullet points; name files and functions exactly. The files the task names follow it when they are readable.\n\n## Task\n\n${task}`,
    ),
  );
}

function analysesBlock(results: FanoutResult[]): string {
  return results
    .map(
      (r) =>
        `## ${roleOf(r.label).title} (${r.model})\n\n${r.ok ? r.text.trim().slice(0, ANSWER_CHARS) : `_no answer: ${r.error}_`}`,
    )
    .join('\n\n');
}

export function synthesisCall(a: Assignment, task: string, analyses: FanoutResult[], template: string): PlannedCall {
  return call(
    a,
    `${head(SYNTHESIZER)}\nResolve where the analyses disagree (say how in the Context section) and keep every security requirement.\n` +
      'Answer with the Code Spec only: fill the template below, replacing every [bracketed placeholder]; ' +
      'list each file as "### [MODIFY] `path`" (with a **Change:** line), "### [NEW] `path`" (with **Purpose:**) or "### [DELETE] `path`" (with **Reason:**); ' +
      'at least one "- [ ] `test_name` — what it verifies" item; the verification command in a fenced block.\n\n' +
      `## Task\n\n${task}\n\n# Analyses\n\n${analysesBlock(analyses)}\n\n# Code Spec template\n\n${template}`,
  );
}

export function repairCall(synthesis: PlannedCall, spec: string, problems: Problem[]): PlannedCall {
  return {
    ...synthesis,
    label: 'synthesizer-repair',
    task: 'pipeline:synthesizer',
    prompt:
      `${head(SYNTHESIZER)}\nYour Code Spec does not validate. Fix exactly these problems and answer with the whole corrected Code Spec only.\n\n` +
      `## Problems\n\n${problems.map((p) => `- ${p.code}: ${p.message}${p.line ? ` (line ${p.line})` : ''}`).join('\n')}\n\n## Your Code Spec\n\n${spec}`,
  };
}

/** The patch roles' prompts: the spec, and the answer format the collector reads. */
export function implementationCalls(assignments: Assignment[], spec: string): PlannedCall[] {
  return assignments
    .filter((a) => IMPLEMENTATION_ROLES.find((r) => r.key === a.key)?.produces === 'patch')
    .map((a) =>
      call(
        a,
        `${head(roleOf(a.key))}\nAnswer with every file you create or change in full, each in a fenced code block whose first line names it ` +
          '(`// file: src/x.ts`, `# file: x.py`), or with one unified diff in a ```diff block. Do not touch files the Guardrails forbid.\n\n' +
          `# Code Spec\n\n${spec}`,
      ),
    );
}

/** The reviewer reads the spec and what the patch roles answered. */
export function reviewCalls(assignments: Assignment[], spec: string, patches: FanoutResult[]): PlannedCall[] {
  const proposals = patches
    .map(
      (p) =>
        `## Proposal of the ${p.label} (${p.model})\n\n${p.ok ? p.text.trim().slice(0, ANSWER_CHARS) : `_no answer: ${p.error}_`}`,
    )
    .join('\n\n');
  return assignments
    .filter((a) => IMPLEMENTATION_ROLES.find((r) => r.key === a.key)?.produces === 'review')
    .map((a) =>
      call(
        a,
        `${head(roleOf(a.key))}\nAt most 20 bullet points; end with "Preferred: <role>".\n\n# Code Spec\n\n${spec}\n\n# Proposals\n\n${proposals}`,
      ),
    );
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
