import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEscalateDebug } from '../../src/cli/handlers/escalate-debug.ts';
import { EXIT } from '../../src/cli/exit-codes.ts';
import { FAILURE_STATUSES, scripted } from '../fakes/scripted-invoke.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import { configToml, runHandler } from '../cli/handler-harness.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const ANALYSIS = {
  root_cause: 'The cache key ignores the locale.',
  confidence: 'high',
  evidence: ['test fails only for fr-FR'],
  reproduced: true,
  rechecked_against_repo: true,
  proposed_fix: {
    summary: 'Include the locale in the key.',
    files: [{ path: 'src/cache.ts', change: 'key = `${locale}:${id}`' }],
  },
  next_steps: ['add a test for two locales'],
};

function setup() {
  repo = tempRepo();
  repo.write('.claude/config/multi-model.toml', configToml({ debug_escalation: 'ask' }));
  repo.write('.gitignore', '.claude/\n');
  repo.write('src/cache.ts', 'export const key = (id: string) => id;\n');
  repo.commitAll('base');
  repo.write('src/cache.ts', 'export const key = (id: string) => id; // uncommitted edit\n');
  repo.write('notes/untracked.txt', 'work in progress\n');
  repo.write('error.txt', 'AssertionError: expected fr-FR\n    at test/cache.test.ts:12\n');
  repo.write('tried.md', '- cleared the cache\n- pinned the locale\n');
  return repo;
}

const run = (invoke: ReturnType<typeof scripted>['invoke'], args: string[], dir: string) =>
  runHandler(
    'escalate debug',
    makeEscalateDebug(invoke),
    ['--error', 'error.txt', '--tried', 'tried.md', ...args],
    dir,
  );

describe('mm escalate debug', () => {
  it('below the threshold says to continue with Claude and calls nothing', async () => {
    const r0 = setup();
    const s = scripted([{ json: ANALYSIS }]);
    const r = await run(s.invoke, ['--debug-cycles', '1'], r0.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('continue with Claude');
    expect(s.calls).toHaveLength(0);
  });

  it('at the threshold lists the options and exits 3 (always ask)', async () => {
    const r0 = setup();
    const r = await run(scripted([{ json: ANALYSIS }]).invoke, ['--debug-cycles', '2'], r0.dir);
    expect(r.code).toBe(EXIT.needs_confirmation);
    expect(r.out).toMatch(/1\. Continue with Claude[\s\S]*2\. Escalate to Codex[\s\S]*3\. Escalate to Gemini/);
  });

  it('a chosen option still needs --yes', async () => {
    const r0 = setup();
    const s = scripted([{ json: ANALYSIS }]);
    const asked = await run(s.invoke, ['--debug-cycles', '2', '--option', 'codex', '--file', 'src/cache.ts'], r0.dir);
    expect(asked.code).toBe(EXIT.needs_confirmation);
    expect(s.calls).toHaveLength(0);
    // The suggested re-run keeps what was tried and the files: the escalation needs them.
    expect(asked.out).toContain(
      '`mm escalate debug --error error.txt --tried tried.md --file src/cache.ts --debug-cycles 2 --option codex --yes`',
    );
  });

  it('with debug_escalation = "off", a chosen option still asks for --yes (it does not skip or point to a --with this command lacks)', async () => {
    const r0 = setup();
    r0.write('.claude/config/multi-model.toml', configToml({ debug_escalation: 'off' }));
    const s = scripted([{ json: ANALYSIS }]);
    const asked = await run(s.invoke, ['--debug-cycles', '2', '--option', 'gemini'], r0.dir);
    expect(asked.code).toBe(EXIT.needs_confirmation);
    expect(asked.out).toContain('--yes');
    expect(asked.out).not.toContain('--with');
    expect(s.calls).toHaveLength(0);
    const ran = await run(s.invoke, ['--debug-cycles', '2', '--option', 'gemini', '--yes'], r0.dir);
    expect(ran.code).toBe(0);
    expect(s.calls).toHaveLength(1);
  });

  it('Codex (not the sandbox) reads the repository itself, read-only', async () => {
    const r0 = setup();
    const s = scripted([{ json: ANALYSIS }]);
    const r = await run(s.invoke, ['--debug-cycles', '2', '--option', 'codex', '--yes'], r0.dir);
    expect(r.code).toBe(0);
    expect(s.calls[0]!.request).toMatchObject({
      sandbox: 'read-only',
      cwd: r0.dir,
      effort: 'xhigh',
      task: 'debugging_escalated',
      checkpoint: 'debug_escalation',
      fallback: false,
    });
    expect(s.calls[0]!.request.prompt).toContain('Re-check your proposed fix against the actual repo state');
    expect(s.calls[0]!.request.prompt).toContain('pinned the locale');
    expect(s.calls[0]!.request.prompt).toContain('AssertionError: expected fr-FR');
    expect(s.calls[0]!.request.prompt).toContain('Read the repository; do not modify it.');
    expect(r.out).toContain('NOT applied');
    expect(r.out).toContain('The cache key ignores the locale.');
    expect(r.out).not.toContain('sandbox');
  });

  it('the options list the sandbox only when the failure looks environment-specific (or --environment says so)', async () => {
    const r0 = setup();
    const plain = await run(scripted([]).invoke, ['--debug-cycles', '2'], r0.dir);
    expect(plain.out).not.toContain('--option sandbox');
    r0.write('error.txt', 'Error: spawn protoc ENOENT\n    at ChildProcess._handle.onexit\n');
    const env = await run(scripted([]).invoke, ['--debug-cycles', '2'], r0.dir);
    expect(env.code).toBe(EXIT.needs_confirmation);
    expect(env.out).toMatch(/4\. Reproduce in a Codex sandbox[^\n]*--option sandbox/);
    expect(env.out).toContain('a tool or binary that is not installed or not on PATH ("spawn protoc ENOENT")');
    r0.write('error.txt', 'AssertionError: expected fr-FR\n');
    const declared = await run(scripted([]).invoke, ['--debug-cycles', '2', '--environment', '--json'], r0.dir);
    expect(declared.json().options.map((o: { option: string }) => o.option)).toEqual([
      'claude',
      'codex',
      'gemini',
      'sandbox',
    ]);
  });

  it('--option sandbox for a failure with no environment signal is refused (exit 2), nothing is called', async () => {
    const r0 = setup();
    const s = scripted([{ json: ANALYSIS }]);
    const r = await run(s.invoke, ['--debug-cycles', '2', '--option', 'sandbox', '--yes'], r0.dir);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain('--environment');
    expect(s.calls).toHaveLength(0);
  });

  it('the sandbox needs --yes; then Codex writes in a secret-free copy of the uncommitted state, and its edits come back as a stored patch, not applied', async () => {
    const r0 = setup();
    r0.write('.env', 'API_TOKEN=committed-secret-value\n');
    r0.git('add', '.env');
    r0.git('commit', '-q', '-m', 'oops, a committed .env');
    r0.write('deploy.key', 'untracked-secret-key\n');
    r0.write(
      'error.txt',
      'Error: The module was compiled against a different Node.js version using NODE_MODULE_VERSION 108\n',
    );
    const statusBefore = r0.git('status', '--porcelain');
    const fileBefore = readFileSync(join(r0.dir, 'src/cache.ts'), 'utf8');
    let scratch = '';
    const s = scripted([{ json: ANALYSIS }], (_t, request) => {
      scratch = request.cwd;
      expect(readFileSync(join(request.cwd, 'src/cache.ts'), 'utf8')).toBe(fileBefore);
      expect(existsSync(join(request.cwd, 'notes/untracked.txt'))).toBe(true);
      expect(existsSync(join(request.cwd, '.env'))).toBe(false);
      expect(existsSync(join(request.cwd, 'deploy.key'))).toBe(false);
      // No history to dig a committed secret out of.
      expect(execFileSync('git', ['log', '--all', '-p'], { cwd: request.cwd, encoding: 'utf8' })).not.toContain(
        'committed-secret-value',
      );
      writeFileSync(
        join(request.cwd, 'src/cache.ts'),
        'export const key = (id: string, locale: string) => `${locale}:${id}`;\n',
      );
      writeFileSync(join(request.cwd, 'repro.sh'), 'node -e "require(\'./native.node\')"\n');
    });
    const args = ['--debug-cycles', '2', '--option', 'sandbox'];
    const asked = await run(s.invoke, args, r0.dir);
    expect(asked.code).toBe(EXIT.needs_confirmation);
    expect(s.calls).toHaveLength(0);

    const r = await run(s.invoke, [...args, '--yes', '--json'], r0.dir);
    expect(r.code).toBe(0);
    expect(s.calls[0]!.request).toMatchObject({ sandbox: 'workspace-write', effort: 'xhigh', fallback: false });
    expect(s.calls[0]!.request.prompt).toContain('NODE_MODULE_VERSION 108');
    expect(s.calls[0]!.request.prompt).toContain('.env (secret path)');
    expect(scratch.startsWith(r0.dir)).toBe(false);
    expect(existsSync(scratch)).toBe(false); // removed afterwards
    // The user's tree: exactly as before.
    expect(r0.git('status', '--porcelain')).toBe(statusBefore);
    expect(readFileSync(join(r0.dir, 'src/cache.ts'), 'utf8')).toBe(fileBefore);
    expect(existsSync(join(r0.dir, 'repro.sh'))).toBe(false);
    const out = r.json();
    expect(out.result.sandbox.files.sort()).toEqual(['repro.sh', 'src/cache.ts']);
    expect(out.result.sandbox.withheld).toEqual(
      expect.arrayContaining(['.env (secret path)', 'deploy.key (secret path)']),
    );
    expect(out.patch).toMatch(/\.claude\/mm\/runs\/[^/]+\/artifacts\/debug-sandbox-\d+\.patch$/);
    const patch = readFileSync(out.patch, 'utf8');
    expect(patch).toContain('+export const key = (id: string, locale: string)');
    expect(patch).toContain('+++ b/repro.sh');
    // The stored patch applies cleanly to the user's tree (once a reviewer decides it should).
    expect(execFileSync('git', ['apply', '--check', out.patch], { cwd: r0.dir, encoding: 'utf8' })).toBe('');
    expect(JSON.parse(readFileSync(out.recorded, 'utf8')).patch).toBe(out.patch);
  });

  it('the sandbox copy is removed even when the provider throws', async () => {
    const r0 = setup();
    let scratch = '';
    const s = scripted([{ throws: 'boom' }], (_t, req) => (scratch = req.cwd));
    const r = await run(s.invoke, ['--debug-cycles', '3', '--option', 'sandbox', '--environment', '--yes'], r0.dir);
    expect(r.code).toBe(EXIT.failed);
    expect(scratch).not.toBe('');
    expect(existsSync(scratch)).toBe(false);
    expect(
      execFileSync('git', ['worktree', 'list'], { cwd: r0.dir, encoding: 'utf8' }).trim().split('\n'),
    ).toHaveLength(1);
  });

  it('Gemini analyses read-only in the repo itself', async () => {
    const r0 = setup();
    const s = scripted([{ json: ANALYSIS }]);
    const r = await run(s.invoke, ['--debug-cycles', '2', '--option', 'gemini', '--yes', '--json'], r0.dir);
    expect(r.code).toBe(0);
    expect(s.calls[0]!.request.sandbox).toBe('read-only');
    expect(r.json().result.analysis.root_cause).toContain('locale');
  });

  it.each(FAILURE_STATUSES.filter((s) => s !== 'failed'))(
    '%s → could not run, no analysis, exit 10–17',
    async (status) => {
      const r0 = setup();
      const r = await run(
        scripted([{ status }]).invoke,
        ['--debug-cycles', '2', '--option', 'gemini', '--yes'],
        r0.dir,
      );
      expect(r.code).toBe(EXIT[status]);
      expect(r.out).toContain('COULD NOT RUN');
    },
  );

  it('uses the recorded debug cycles when --cycles is absent', async () => {
    const r0 = setup();
    r0.write('.claude/mm/runs/CURRENT', 'run1\n');
    r0.write(
      '.claude/mm/runs/run1/state.json',
      JSON.stringify({ run_id: 'run1', created: 'x', updated: 'x', debug: { failed_cycles: 2, notes: [] } }),
    );
    const r = await run(scripted([{ json: ANALYSIS }]).invoke, [], r0.dir);
    expect(r.code).toBe(EXIT.needs_confirmation);
  });
});
