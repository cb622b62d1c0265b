/**
 * The review prompts of design §5.1 and §5.2, with the output contract generated from
 * the same zod schema the reply is validated against.
 */
import { diffVerdictSchema, jsonSchemaOf, planVerdictSchema } from './verdicts.ts';

/** What the user asked the reviewer to look at (`--focus`) and how hard to push (`--adversarial`). */
export interface ReviewSteer {
  focus?: string;
  adversarial?: boolean;
}

const ADVERSARIAL = [
  'Review ADVERSARIALLY: challenge the change instead of confirming it. Look for hidden assumptions,',
  'failure modes (bad or hostile input, partial failure, concurrency, scale, upgrades) and simpler alternatives',
  'that would make it unnecessary. Give no benefit of the doubt, but every finding needs evidence you can cite.',
].join(' ');

/** The steering lines, placed before the output contract so they shape the findings. */
function steerLines(steer: ReviewSteer | undefined): string[] {
  const lines: string[] = [];
  if (steer?.adversarial) lines.push(ADVERSARIAL);
  const focus = steer?.focus?.trim();
  if (focus)
    lines.push(
      `The user asked you to focus on: ${focus}`,
      'Spend your review there first; still report anything critical you see elsewhere.',
    );
  return lines;
}

const CONFIDENCE =
  'Give each finding a "confidence" from 0 to 1: how sure you are that it is real (1 = certain, 0.5 = plausible, below 0.3 = a hunch).';

const contract = (schema: Record<string, unknown>) =>
  [
    'Reply with ONE JSON object and nothing else (no prose, no code fence), matching this JSON Schema:',
    JSON.stringify(schema),
  ].join('\n');

export function planReviewPrompt(planPath: string, plan: string, steer?: ReviewSteer): string {
  return [
    'You are an independent reviewer. Review this implementation plan for:',
    '1. Missing edge cases or error scenarios',
    '2. Security gaps in the proposed approach',
    '3. Feasibility concerns (over-engineering, missing dependencies)',
    '4. Task ordering issues (dependency conflicts)',
    '5. Missing test coverage areas',
    'Verdict: PASS (sound as written), CONCERN (with details: fixable issues), BLOCK (with rationale: must not proceed as planned).',
    'Each finding names its area (edge-cases, security, feasibility, ordering, tests, other), a severity, what is wrong and what to change; cite a repository file when one is involved (you may read the repository, do not modify it).',
    "When a finding is about specific lines of the plan, give them as line_start/line_end (the plan's lines are numbered below); otherwise null.",
    CONFIDENCE,
    ...steerLines(steer),
    contract(jsonSchemaOf(planVerdictSchema)),
    '',
    `Plan (${planPath}):`,
    '<<<PLAN',
    numbered(plan),
    'PLAN>>>',
  ].join('\n');
}

/** "12| text": line numbers a reviewer can cite. */
function numbered(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const width = String(lines.length).length;
  return lines.map((l, i) => `${String(i + 1).padStart(width)}| ${l}`).join('\n');
}

export interface DiffPromptInput {
  compared: string;
  changedFiles: string[];
  chunk: { index: number; of: number; text: string };
  steer?: ReviewSteer;
}

export function diffReviewPrompt(input: DiffPromptInput): string {
  const { chunk } = input;
  return [
    'You are an independent code reviewer. Review this diff for:',
    '1. Bugs or logic errors',
    '2. Security vulnerabilities (OWASP top 10)',
    '3. Performance regressions',
    '4. Missing error handling',
    '5. Style inconsistencies with surrounding code',
    'Use Google Search if you need to verify API usage or library patterns.',
    'Verdict: LGTM (no issue of medium severity or worse) or ISSUES (with file:line references).',
    'Each line starts with its line number in the NEW file, then "+" (added), "-" (removed; no number) or " " (context). Cite file paths exactly as shown and new-file line ranges.',
    'Review only what is shown; the related-files list gives names for orientation, not code to review.',
    CONFIDENCE,
    ...steerLines(input.steer),
    contract(jsonSchemaOf(diffVerdictSchema)),
    '',
    `Change: ${input.compared}; ${input.changedFiles.length} file(s) changed: ${input.changedFiles.join(', ')}`,
    chunk.of > 1
      ? `This is part ${chunk.index + 1} of ${chunk.of} of the diff; review this part only.`
      : 'This is the whole diff.',
    '<<<DIFF',
    chunk.text,
    'DIFF>>>',
  ].join('\n');
}
