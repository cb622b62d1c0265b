/**
 * `mm referee`: two candidates, each in its own temporary clone (its own .git: a test
 * cannot reach the user's refs, hooks or config), the same tests run in both, the verdict
 * written to the run store. Clones are removed on every path out — success, error, or
 * Ctrl-C — and the user's checkout is never modified.
 */
import { repoRoot, resolveCommit } from '../../git/git.ts';
import { linkFromCheckout } from '../../git/links.ts';
import { CloneSet } from '../../git/temp-clones.ts';
import { onInterrupt } from '../../process/runner.ts';
import { createRun, updateRun, writeRunFile } from '../../runs/store.ts';
import { MmError } from '../../util/errors.ts';
import {
  applyCandidate,
  copyTests,
  diffSize,
  resolveCandidate,
  startCommit,
  type CandidateSource,
} from './candidate.ts';
import { failureSummary, foundNoTests, runTestCommand } from './run-tests.ts';
import { decide, verdictMarkdown, type CandidateOutcome, type Verdict } from './verdict.ts';

export interface RefereeInput {
  a: string;
  b: string;
  /** The user's own test command; absent → the "prove it" refusal. */
  test?: string;
  /** Test files (inside the repo) copied into both candidates first. */
  tests?: string[];
  /** Untracked paths of the checkout to symlink into each worktree (e.g. node_modules). */
  link?: string[];
  base?: string;
  timeoutSec?: number;
  cwd: string;
  /** Where the run store lives (project root). */
  root: string;
  env?: NodeJS.ProcessEnv;
  /** Where the temporary clones go (default: the OS temp folder). */
  tempRoot?: string;
  onProgress?: (line: string) => void;
}

const DEFAULT_TIMEOUT_SEC = 300;

export const PROVE_IT =
  'no tests to decide with: the "prove it" rule (design §4.5) needs tests before a verdict. ' +
  'Write minimal tests for the disputed behaviour, then pass the command with --test (and --tests PATH to add the same new tests to both candidates).';

export async function runReferee(input: RefereeInput): Promise<Verdict> {
  if (!input.test?.trim())
    throw new MmError('input', PROVE_IT, {
      hint: 'mm referee --a A --b B --test "npm test" --tests test/disputed.test.ts',
    });
  const timeoutSec = input.timeoutSec ?? DEFAULT_TIMEOUT_SEC;
  if (timeoutSec <= 0) throw new MmError('usage', '--timeout must be at least 1 second');
  const repo = await repoRoot(input.cwd);
  const baseRef = input.base ?? 'HEAD';
  const base = await resolveCommit(baseRef, repo);
  const a = await resolveCandidate(input.a, input.cwd, repo);
  const b = await resolveCandidate(input.b, input.cwd, repo);
  const say = input.onProgress ?? (() => {});

  const run = createRun(input.root, 'referee', { env: input.env, summary: `referee ${input.a} vs ${input.b}` });
  writeRunFile(input.root, run.run_id, 'inputs/request.json', {
    a: input.a,
    b: input.b,
    test: input.test,
    tests: input.tests ?? [],
    base: baseRef,
    timeout_s: timeoutSec,
  });

  const clones = new CloneSet(repo, input.tempRoot);
  let testsAdded: string[] = [];
  const noTests: string[] = [];
  // On Ctrl-C the runner kills the test command's tree, then runs this and exits.
  const offInterrupt = onInterrupt(() => {
    clones.removeAllSync();
    updateRun(input.root, run.run_id, { status: 'interrupted' });
  });
  try {
    const outcome = async (name: 'a' | 'b', c: CandidateSource): Promise<CandidateOutcome> => {
      say(`${name.toUpperCase()}: preparing ${c.spec} (${c.kind})`);
      const dir = await clones.add(name, startCommit(c, base));
      await applyCandidate(c, dir);
      const added = (input.tests ?? []).map((t) => copyTests(t, input.cwd, repo, dir));
      testsAdded = added;
      for (const l of input.link ?? []) linkFromCheckout(l, repo, dir);
      const diff = await diffSize(dir, base, [...added, ...(input.link ?? [])]);
      say(`${name.toUpperCase()}: running \`${input.test}\` (${diff.lines} lines changed)`);
      const result = await runTestCommand(input.test!, dir, timeoutSec * 1000, input.env ?? process.env);
      const outputFile = writeRunFile(input.root, run.run_id, `outputs/${name}.test.log`, result.output);
      say(`${name.toUpperCase()}: ${result.passed ? 'pass' : result.timedOut ? 'timeout' : 'fail'}`);
      if (foundNoTests(result)) noTests.push(name);
      return {
        spec: c.spec,
        kind: c.kind,
        passed: result.passed,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        durationMs: result.durationMs,
        diff,
        failureSummary: result.passed ? '' : failureSummary(result, timeoutSec * 1000),
        outputFile,
      };
    };
    // One after the other: test suites often share ports, caches or databases.
    const outA = await outcome('a', a);
    const outB = await outcome('b', b);
    // The runner found nothing to run in either candidate: there is nothing to judge by.
    if (noTests.length === 2)
      throw new MmError('input', `the test command ran no tests in either candidate. ${PROVE_IT}`, {
        hint: 'add the tests with --tests PATH',
      });
    const verdict: Verdict = {
      run_id: run.run_id,
      ...decide(outA, outB),
      base: { ref: baseRef, commit: base },
      test_command: input.test,
      timeout_s: timeoutSec,
      tests_added: testsAdded,
      candidates: { a: outA, b: outB },
    };
    writeRunFile(input.root, run.run_id, 'outputs/verdict.json', verdict);
    writeRunFile(input.root, run.run_id, 'outputs/verdict.md', verdictMarkdown(verdict));
    updateRun(input.root, run.run_id, {
      status: 'done',
      summary: `referee ${input.a} vs ${input.b}: ${verdict.verdict}`,
    });
    return verdict;
  } catch (e) {
    updateRun(input.root, run.run_id, {
      status: 'failed',
      summary: `referee ${input.a} vs ${input.b}: ${(e as Error).message}`,
    });
    throw e;
  } finally {
    offInterrupt();
    clones.removeAllSync();
  }
}
