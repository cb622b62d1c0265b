/**
 * The disagreement protocol's decision (design §4.5), pure: tests decide, not model
 * preference. One passes → it wins; both pass → the smaller diff wins (a tie keeps A,
 * a reversible choice, and says so); both fail → escalate with both failure summaries.
 */
import type { DiffSize } from './candidate.ts';

export interface CandidateOutcome {
  spec: string;
  kind: 'ref' | 'patch' | 'dir';
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  diff: DiffSize;
  /** Empty when the tests passed. */
  failureSummary: string;
  /** Run-store file with the full test output. */
  outputFile: string;
}

type VerdictKind = 'a' | 'b' | 'escalate';

export interface Verdict {
  run_id: string;
  verdict: VerdictKind;
  winner: 'a' | 'b' | null;
  reason: string;
  /** What to do next, for the orchestrator. */
  next: string;
  base: { ref: string; commit: string };
  test_command: string;
  timeout_s: number;
  tests_added: string[];
  candidates: { a: CandidateOutcome; b: CandidateOutcome };
}

export function decide(
  a: CandidateOutcome,
  b: CandidateOutcome,
): Pick<Verdict, 'verdict' | 'winner' | 'reason' | 'next'> {
  if (a.passed && !b.passed) return win('a', `A passes the tests; B fails (${firstLine(b.failureSummary)})`);
  if (b.passed && !a.passed) return win('b', `B passes the tests; A fails (${firstLine(a.failureSummary)})`);
  if (a.passed && b.passed) {
    if (a.diff.lines === b.diff.lines)
      return win(
        'a',
        `both pass with equal diffs (${a.diff.lines} lines changed): the choice is reversible, A is kept`,
      );
    const smaller = a.diff.lines < b.diff.lines ? 'a' : 'b';
    return win(
      smaller,
      `both pass; ${smaller.toUpperCase()} has the smaller diff (${Math.min(a.diff.lines, b.diff.lines)} vs ${Math.max(a.diff.lines, b.diff.lines)} lines changed)`,
    );
  }
  return {
    verdict: 'escalate',
    winner: null,
    reason: `both candidates fail the tests (A: ${firstLine(a.failureSummary)}; B: ${firstLine(b.failureSummary)})`,
    next: 'escalate to the architect (Opus, extended thinking) with both failure summaries and test logs as artifacts',
  };
}

function win(winner: 'a' | 'b', reason: string) {
  return { verdict: winner, winner, reason, next: `apply candidate ${winner.toUpperCase()}` } as const;
}

const firstLine = (s: string) => s.split('\n')[0] ?? '';

export function verdictMarkdown(v: Verdict): string {
  const row = (name: string, c: CandidateOutcome) =>
    `| ${name} | \`${c.spec}\` (${c.kind}) | ${c.passed ? 'pass' : c.timedOut ? 'timeout' : 'fail'} | ${c.diff.files} | +${c.diff.added} / -${c.diff.removed} (${c.diff.lines}) | ${(c.durationMs / 1000).toFixed(1)} s |`;
  const failures = (['a', 'b'] as const)
    .filter((k) => !v.candidates[k].passed)
    .map(
      (k) =>
        `### ${k.toUpperCase()} failure\n\n\`\`\`\n${v.candidates[k].failureSummary}\n\`\`\`\n\nFull output: \`${v.candidates[k].outputFile}\``,
    );
  return [
    `# Referee verdict — ${v.verdict === 'escalate' ? 'ESCALATE' : `${v.verdict.toUpperCase()} wins`}`,
    '',
    `**Run:** ${v.run_id}  `,
    `**Base:** \`${v.base.ref}\` (${v.base.commit.slice(0, 12)})  `,
    `**Test command:** \`${v.test_command}\` (timeout ${v.timeout_s} s)  `,
    `**Tests added to both:** ${v.tests_added.length ? v.tests_added.map((t) => `\`${t}\``).join(', ') : 'none'}`,
    '',
    `**Reason:** ${v.reason}  `,
    `**Next:** ${v.next}`,
    '',
    '| Candidate | Source | Tests | Files | Lines changed | Time |',
    '|---|---|---|---|---|---|',
    row('A', v.candidates.a),
    row('B', v.candidates.b),
    ...(failures.length ? ['', ...failures] : []),
    '',
  ].join('\n');
}
