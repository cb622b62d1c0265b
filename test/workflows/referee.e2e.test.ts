import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROVE_IT, runReferee } from '../../src/workflows/referee/referee.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';
import { eventually } from '../helpers/process.ts';

const TEST = 'node test.js';
const CORRECT = 'exports.add = (a, b) => a + b;\n';
const WRONG = 'exports.add = (a, b) => a - b;\n';
const VERBOSE =
  '// add two numbers\n// (a longer version)\nexports.add = (a, b) => {\n  const sum = a + b;\n  return sum;\n};\n';

let repos: TempRepo[] = [];
let temps: string[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
  repos = [];
  temps = [];
});

/** A private temp root per test, so parallel test files cannot disturb the leftovers check. */
function tempRoot(): string {
  const dir = tempDir('mm-referee-root-');
  temps.push(dir);
  return dir;
}

/** A repo whose main has a broken add() and a test for it; branches carry candidates. */
function calcRepo(): TempRepo {
  const repo = tempRepo();
  repos.push(repo);
  repo.write('calc.js', 'exports.add = () => 0;\n');
  repo.write(
    'test.js',
    "const { add } = require('./calc');\nif (add(2, 3) !== 5) { console.error('add(2,3) should be 5, got ' + add(2, 3)); process.exit(1); }\nconsole.log('ok');\n",
  );
  repo.commitAll('base');
  return repo;
}

function branch(repo: TempRepo, name: string, calc: string): void {
  repo.git('checkout', '-q', '-b', name);
  repo.write('calc.js', calc);
  repo.commitAll(name);
  repo.git('checkout', '-q', 'main');
}

function snapshot(repo: TempRepo) {
  return {
    head: repo.git('rev-parse', 'HEAD'),
    status: repo.git('status', '--porcelain', '--untracked-files=all'),
    branches: repo.git('branch', '--list'),
    worktrees: repo.git('worktree', 'list', '--porcelain'),
    calc: readFileSync(join(repo.dir, 'calc.js'), 'utf8'),
  };
}

const leftovers = (root: string) => readdirSync(root);

describe('mm referee (real git repos, real test commands)', () => {
  it('A passes, B fails: A wins; verdict JSON and Markdown are in the run store; checkout untouched', async () => {
    const repo = calcRepo();
    branch(repo, 'cand-a', CORRECT);
    branch(repo, 'cand-b', WRONG);
    repo.write('notes.txt', 'uncommitted user work\n'); // the user's dirty state must survive
    const before = snapshot(repo);
    const temp = tempRoot();
    const v = await runReferee({
      a: 'cand-a',
      b: 'cand-b',
      test: TEST,
      cwd: repo.dir,
      root: repo.dir,
      timeoutSec: 30,
      tempRoot: temp,
    });
    expect(v.verdict).toBe('a');
    expect(v.candidates.a.passed).toBe(true);
    expect(v.candidates.b.passed).toBe(false);
    expect(v.candidates.b.failureSummary).toContain('add(2,3) should be 5, got -1');
    const runDir = join(repo.dir, '.claude/mm/runs', v.run_id);
    expect(JSON.parse(readFileSync(join(runDir, 'outputs/verdict.json'), 'utf8')).verdict).toBe('a');
    expect(readFileSync(join(runDir, 'outputs/verdict.md'), 'utf8')).toContain('A wins');
    expect(readFileSync(join(runDir, 'outputs/b.test.log'), 'utf8')).toContain('should be 5');
    expect(snapshot(repo)).toEqual(before);
    expect(leftovers(temp)).toEqual([]);
  });

  it('both pass: the smaller diff wins', async () => {
    const repo = calcRepo();
    branch(repo, 'verbose', VERBOSE);
    branch(repo, 'tight', CORRECT);
    const v = await runReferee({ a: 'verbose', b: 'tight', test: TEST, cwd: repo.dir, root: repo.dir });
    expect(v.verdict).toBe('b');
    expect(v.candidates.b.diff.lines).toBeLessThan(v.candidates.a.diff.lines);
    expect(v.candidates.b.diff).toEqual({ files: 1, added: 1, removed: 1, lines: 2 });
    expect(v.reason).toMatch(/smaller diff/);
  });

  it('both fail: escalate with both failure summaries', async () => {
    const repo = calcRepo();
    branch(repo, 'x', WRONG);
    branch(repo, 'y', 'exports.add = (a, b) => a * b;\n');
    const v = await runReferee({ a: 'x', b: 'y', test: TEST, cwd: repo.dir, root: repo.dir });
    expect(v.verdict).toBe('escalate');
    expect(v.winner).toBeNull();
    expect(v.candidates.a.failureSummary).toContain('got -1');
    expect(v.candidates.b.failureSummary).toContain('got 6');
    expect(v.next).toMatch(/escalate/);
  });

  it('a test command that overruns the timeout is killed (with its children) and counts as failing', async () => {
    const repo = calcRepo();
    branch(repo, 'ok', CORRECT);
    // Durations unique to this test process: other checkouts may run this suite on the same machine.
    const child = `sleep 30.${process.pid}`;
    const v = await runReferee({
      a: 'ok',
      b: 'HEAD',
      test: `${child} & ${child}; wait`,
      cwd: repo.dir,
      root: repo.dir,
      timeoutSec: 1,
    });
    expect(v.verdict).toBe('escalate');
    expect(await eventually(() => spawnSync('pgrep', ['-f', child]).stdout.toString() === '')).toBe(true);
    expect(v.candidates.a.timedOut).toBe(true);
    expect(v.candidates.a.failureSummary).toMatch(/timed out after 1 s/);
  });

  it('background processes a test command leaves behind are killed', async () => {
    const repo = calcRepo();
    branch(repo, 'ok', CORRECT);
    // A duration unique to this test process: other checkouts may run this suite on the same machine.
    const leftover = `sleep 31.${process.pid}`;
    const v = await runReferee({ a: 'ok', b: 'ok', test: `${leftover} & node test.js`, cwd: repo.dir, root: repo.dir });
    expect(v.verdict).toBe('a');
    expect(await eventually(() => spawnSync('pgrep', ['-f', leftover]).stdout.toString() === '')).toBe(true);
  });

  it('no tests: refuses with the "prove it" rule and leaves nothing behind', async () => {
    const repo = calcRepo();
    branch(repo, 'x', CORRECT);
    await expect(runReferee({ a: 'x', b: 'main', cwd: repo.dir, root: repo.dir })).rejects.toThrow(PROVE_IT);
    expect(existsSync(join(repo.dir, '.claude'))).toBe(false);
  });

  it('a test command that finds no tests is the "prove it" case too', async () => {
    const repo = calcRepo();
    branch(repo, 'x', CORRECT);
    await expect(
      runReferee({
        a: 'x',
        b: 'main',
        test: 'echo "No test files found, exiting with code 1"; exit 1',
        cwd: repo.dir,
        root: repo.dir,
      }),
    ).rejects.toThrow(/ran no tests in either candidate/);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('--tests copies the same new tests into patch and folder candidates', async () => {
    const repo = tempRepo();
    repos.push(repo);
    repo.write('calc.js', 'exports.add = () => 0;\n');
    repo.commitAll('no tests yet');
    // The user's new, uncommitted test: the "prove it" tests.
    repo.write('prove.test.js', "if (require('./calc').add(1, 1) !== 2) process.exit(1);\n");
    const other = tempRepo();
    repos.push(other);
    other.write('calc.js', CORRECT); // folder candidate: files to overlay
    const patch = join(other.dir, 'b.patch');
    other.write(
      'b.patch',
      'diff --git a/calc.js b/calc.js\n--- a/calc.js\n+++ b/calc.js\n@@ -1 +1 @@\n-exports.add = () => 0;\n+exports.add = (a, b) => 2;\n',
    );
    const dirCandidate = join(other.dir, 'cand');
    other.write('cand/calc.js', CORRECT);
    const before = snapshot(repo);
    const v = await runReferee({
      a: dirCandidate,
      b: patch,
      test: 'node prove.test.js',
      tests: ['prove.test.js'],
      cwd: repo.dir,
      root: repo.dir,
    });
    expect(v.candidates.a.kind).toBe('dir');
    expect(v.candidates.b.kind).toBe('patch');
    expect(v.candidates.a.passed && v.candidates.b.passed).toBe(true);
    expect(v.candidates.a.diff.files).toBe(1); // the shared tests are not counted
    expect(v.verdict).toBe('a'); // equal diffs: A kept, and the reason says so
    expect(v.reason).toMatch(/equal diffs/);
    expect(snapshot(repo)).toEqual(before);
  });

  it('removes its worktrees when a candidate cannot be prepared', async () => {
    const repo = calcRepo();
    branch(repo, 'x', CORRECT);
    repo.write('bad.patch', 'diff --git a/nope.js b/nope.js\n--- a/nope.js\n+++ b/nope.js\n@@ -1 +1 @@\n-a\n+b\n');
    const temp = tempRoot();
    await expect(
      runReferee({ a: 'x', b: 'bad.patch', test: TEST, cwd: repo.dir, root: repo.dir, tempRoot: temp }),
    ).rejects.toThrow(/does not apply/);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(leftovers(temp)).toEqual([]);
  });
});

describe('mm referee --link', () => {
  it('symlinks untracked dependencies of the checkout into each candidate, outside the diff', async () => {
    const repo = tempRepo();
    repos.push(repo);
    repo.write('.gitignore', 'deps/\n');
    repo.write('calc.js', "exports.add = require('./deps/impl.js');\n");
    repo.commitAll('base');
    repo.write('deps/impl.js', 'module.exports = (a, b) => a + b;\n'); // ignored, like node_modules
    repo.write('test.js', "if (require('./calc').add(2, 3) !== 5) process.exit(1);\n");
    repo.write(
      'extra.patch',
      'diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1 +1,2 @@\n # test\n+more\n',
    );
    const v = await runReferee({
      a: 'HEAD',
      b: 'extra.patch',
      test: 'node test.js',
      tests: ['test.js'],
      link: ['deps'],
      cwd: repo.dir,
      root: repo.dir,
    });
    expect(v.candidates.a.passed && v.candidates.b.passed).toBe(true);
    expect(v.tests_added).toEqual(['test.js']);
    expect(v.candidates.a.diff.lines).toBe(0);
    expect(v.candidates.b.diff.lines).toBe(1);
    expect(v.verdict).toBe('a');
  });
});

describe('fan-out → materialize → referee', () => {
  it('judges candidates materialised from model answers', async () => {
    const { executeAsRun, materialize } = await import('../../src/workflows/fanout/execute.ts');
    const { planCompetitive } = await import('../../src/workflows/fanout/plan.ts');
    const { fakeContext, fakeProvider, testConfig } = await import('../helpers/fake-invoke.ts');
    const repo = calcRepo();
    const { config, registry } = testConfig();
    const answers: Record<string, string> = {
      'gpt-5.3-codex':
        'Fix:\n```diff\ndiff --git a/calc.js b/calc.js\n--- a/calc.js\n+++ b/calc.js\n@@ -1 +1 @@\n-exports.add = () => 0;\n+exports.add = (a, b) => a - b;\n```\n',
      'gemini-3.1-pro': '### `calc.js`\n```js\nexports.add = (a, b) => a + b;\n```\n',
    };
    const fake = fakeProvider((t) => ({ text: answers[t]! }));
    const out = await executeAsRun(
      'fanout',
      planCompetitive({ prompt: 'fix add' }, Object.keys(answers)),
      {
        invoke: fake.invoke,
        ctx: fakeContext(config, registry, repo.dir),
        config,
        registry,
        cwd: repo.dir,
        root: repo.dir,
      },
      'fix add',
    );
    const [a, b] = materialize(repo.dir, out.runId, out.results);
    const v = await runReferee({ a: a!.path!, b: b!.path!, test: TEST, cwd: repo.dir, root: repo.dir });
    expect([v.candidates.a.kind, v.candidates.b.kind]).toEqual(['patch', 'dir']);
    expect(v.verdict).toBe('b');
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
