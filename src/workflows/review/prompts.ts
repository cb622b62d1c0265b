/**
 * The review prompts of design §5.1 and §5.2 (prompts/*.md), with the output contract
 * generated from the same zod schema the reply is validated against.
 */
import { fillTemplate } from '../../util/template.ts';
import diffPartTemplate from './prompts/diff-part.md';
import diffReviewTemplate from './prompts/diff-review.md';
import diffWholeTemplate from './prompts/diff-whole.md';
import planReviewTemplate from './prompts/plan-review.md';
import adversarialTemplate from './prompts/steer-adversarial.md';
import focusTemplate from './prompts/steer-focus.md';
import { diffVerdictSchema, jsonSchemaOf, planVerdictSchema } from './verdicts.ts';

/** What the user asked the reviewer to look at (`--focus`) and how hard to push (`--adversarial`). */
export interface ReviewSteer {
  focus?: string;
  adversarial?: boolean;
}

/** The steering lines, placed before the output contract so they shape the findings. */
function steerLines(steer: ReviewSteer | undefined): string {
  const lines: string[] = [];
  if (steer?.adversarial) lines.push(fillTemplate(adversarialTemplate));
  const focus = steer?.focus?.trim();
  if (focus) lines.push(fillTemplate(focusTemplate, { focus }));
  return lines.join('\n');
}

export function planReviewPrompt(planPath: string, plan: string, steer?: ReviewSteer): string {
  return fillTemplate(planReviewTemplate, {
    steer: steerLines(steer),
    schema: JSON.stringify(jsonSchemaOf(planVerdictSchema)),
    planPath,
    plan: numbered(plan),
  });
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
  return fillTemplate(diffReviewTemplate, {
    steer: steerLines(input.steer),
    schema: JSON.stringify(jsonSchemaOf(diffVerdictSchema)),
    compared: input.compared,
    fileCount: String(input.changedFiles.length),
    files: input.changedFiles.join(', '),
    part:
      chunk.of > 1
        ? fillTemplate(diffPartTemplate, { part: String(chunk.index + 1), parts: String(chunk.of) })
        : fillTemplate(diffWholeTemplate),
    diff: chunk.text,
  });
}
