/**
 * The Code Report of `mm handoff run`, in the dual-model format (templates/code_report.md)
 * and written from facts: the files come from the checkout's diff, the test result from
 * the verification command mm ran itself, the blockers from the coder's reply plus every
 * `TODO(architect)` marker in the changed files. One report covers a whole batch.
 */
import type { CheckoutChange } from './checkout.ts';
import type { CoderReply } from './coder.ts';
import type { SpecFile } from './validate-spec.ts';

export interface Verification {
  command: string | null;
  exitCode: number | null;
  timedOut: boolean;
  /** stdout then stderr, as run. */
  output: string;
}

export interface SpecOutcome {
  name: string;
  specId: string | null;
  files: SpecFile[];
  reply: CoderReply | null;
  /** Why the coder gave no usable answer, when it did not. */
  error?: string;
  notes: string[];
  verification: Verification | null;
}

export const verificationPassed = (v: Verification | null) => v !== null && v.exitCode === 0 && !v.timedOut;

const TAIL_LINES = 80;
const tailOf = (text: string) => {
  const lines = text.trimEnd().split('\n');
  return lines.length > TAIL_LINES
    ? [`… (${lines.length - TAIL_LINES} earlier lines in the run store)`, ...lines.slice(-TAIL_LINES)].join('\n')
    : lines.join('\n');
};
/** A fence longer than any backtick run inside, so pasted output cannot close it early. */
const fence = (text: string) => '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
const block = (text: string) => {
  const f = fence(text);
  return [f, text, f].join('\n');
};
const list = (items: string[], none: string) => (items.length ? items.map((i) => `- ${i}`).join('\n') : none);

export interface ReportInput {
  title: string;
  coder: string;
  completed: string;
  specLink: string;
  outcomes: SpecOutcome[];
  change: CheckoutChange;
  todos: Array<{ file: string; line: number; question: string }>;
}

export function renderRunReport(input: ReportInput): string {
  const { outcomes, change } = input;
  const many = outcomes.length > 1;
  const label = (o: SpecOutcome) => (many ? `${o.specId ?? o.name}: ` : '');
  const changed = new Set(change.files.map((f) => f.path));
  const rows = change.files.map(
    (f) =>
      `| \`${f.path}\` | ${f.action} | ${f.action === 'Created' ? `+${f.added}` : `+${f.added} / -${f.removed}`} |`,
  );
  const tests = outcomes.map((o) => {
    const v = o.verification;
    if (!v || v.command === null) return `${many ? `${o.name}: ` : ''}no verification command in the spec`;
    const status = v.timedOut ? 'timed out' : `exit ${v.exitCode}`;
    return [`$ ${v.command}`, tailOf(v.output) || '(no output)', `[${status}]`].join('\n');
  });
  const allPassed = outcomes.every((o) => verificationPassed(o.verification));
  const failed = outcomes.filter((o) => !verificationPassed(o.verification)).map((o) => o.specId ?? o.name);
  const blockers = [
    ...outcomes.flatMap((o) => (o.error ? [`${label(o)}the coder gave no answer: ${o.error}`] : [])),
    ...outcomes.flatMap((o) => (o.reply?.blockers ?? []).map((b) => `${label(o)}${b}`)),
    ...input.todos.map((t) => `\`${t.file}:${t.line}\` TODO(architect): ${t.question}`),
  ];
  const untouched = outcomes.flatMap((o) =>
    o.files
      .filter((f) => !changed.has(f.path))
      .map((f) => `${label(o)}the spec's [${f.action}] \`${f.path}\` was not changed by the coder`),
  );
  const listed = new Set(outcomes.flatMap((o) => o.files.map((f) => f.path)));
  const extra = change.files
    .filter((f) => !listed.has(f.path))
    .map((f) => `\`${f.path}\` (${f.action.toLowerCase()}) is not listed in the spec`);
  const deviations = [
    ...outcomes.flatMap((o) => (o.reply?.deviations ?? []).map((d) => `${label(o)}${d}`)),
    ...outcomes.flatMap((o) => o.notes.map((n) => `${label(o)}${n}`)),
    ...untouched,
    ...extra,
  ];
  return [
    `# Code Report — ${input.title}`,
    '',
    `**Coder:** ${input.coder}`,
    `**Completed:** ${input.completed}`,
    `**Spec:** ${input.specLink}`,
    '',
    '## Summary',
    '',
    outcomes.map((o) => `${label(o)}${o.reply?.summary ?? o.error ?? '(no summary)'}`).join('\n\n'),
    '',
    '## Files Changed',
    '',
    '| File | Action | Lines Changed |',
    '|------|--------|---------------|',
    ...(rows.length ? rows : ['| (none) | — | — |']),
    '',
    '## Test Results',
    '',
    block(tests.join('\n\n')),
    '',
    `**Result:** ${allPassed ? 'PASS' : `FAIL (${failed.join(', ')}: the verification command did not pass)`}`,
    '',
    '## Build Status',
    '',
    block(
      "mm ran the spec's verification command in the isolated checkout (above); it is the build check.\n" +
        (allPassed ? 'It passed.' : 'It did not pass.'),
    ),
    '',
    `**Result:** ${allPassed ? 'CLEAN' : 'ERRORS'}`,
    '',
    '## Blockers',
    '',
    list(blockers, 'None.'),
    '',
    '## Deviations from Spec',
    '',
    list(deviations, 'None — implemented exactly as specified.'),
    '',
  ].join('\n');
}
