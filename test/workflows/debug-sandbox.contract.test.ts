/**
 * Contract: `mm escalate debug --option sandbox` with the REAL codex against the Codex
 * fake. With `-m gpt-5.2` Codex offers `exec_command`; the fake scripts it: look for the
 * secret files, then edit a file, then reply with the analysis. Codex runs both commands
 * in its workspace-write sandbox inside mm's isolated copy. A wrapper around the real
 * binary logs its argv, so the sandbox flag is asserted where it is decided.
 */
import { chmodSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.ts';
import {
  codexEnv,
  functionCallOutputs,
  startCodexFake,
  type CodexFake,
  type CodexFunctionCall,
} from '../fakes/codex-server.ts';
import type { RecordedRequest } from '../fakes/server.ts';
import { CODEX_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';

const ANALYSIS = {
  root_cause: 'The test shells out to a tool that is not installed here.',
  confidence: 'medium',
  evidence: ['`which protoc` prints nothing in the sandbox'],
  reproduced: true,
  rechecked_against_repo: true,
  proposed_fix: { summary: 'Skip when protoc is missing.', files: [{ path: 'src/gen.sh', change: 'guard' }] },
  next_steps: ['install protoc in CI'],
};
const SECRET = 'sk-live-DO-NOT-SEND-4242';
const KEY = 'PRIVATE-KEY-DO-NOT-SEND';

/** Look for the secret files, then edit a file, then the analysis; the read-only path answers at once. */
const REPLY = (req: RecordedRequest): string | CodexFunctionCall => {
  const step = functionCallOutputs(req);
  // Read-only path: answer at once.
  if (!JSON.stringify(req.body?.input ?? []).includes('isolated copy')) return JSON.stringify(ANALYSIS);
  if (step === 0)
    return { call: { name: 'exec_command', arguments: JSON.stringify({ cmd: 'ls -a; cat .env deploy.key' }) } };
  if (step === 1)
    return {
      call: {
        name: 'exec_command',
        arguments: JSON.stringify({ cmd: "printf 'command -v protoc || exit 0\\n' > src/gen.sh" }),
      },
    };
  return JSON.stringify(ANALYSIS);
};

let fake: CodexFake;
let home: string;
let argvLog: string;
let env: NodeJS.ProcessEnv;
let repo: TempRepo | undefined;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'mm-debug-sandbox-'));
  fake = await startCodexFake({ reply: REPLY });
  // The real codex, behind a wrapper that records each argv (one argument a line).
  argvLog = join(home, 'argv.log');
  const wrapper = join(home, 'codex-logged');
  writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$@" "--end--" >> "${argvLog}"\nexec "${CODEX_BIN}" "$@"\n`);
  chmodSync(wrapper, 0o755);
  env = { ...codexEnv(fake, home), ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };
  writeFileSync(argvLog, '');
  env.CODEX_WRAPPER = wrapper;
});
afterAll(() => fake.close());
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

function project(): TempRepo {
  repo = tempRepo();
  writeProjectConfig(
    repo.dir,
    `[models]\ncodex_enabled = true\ngemini_enabled = false\n[models.codex]\ncommand = "${env.CODEX_WRAPPER}"\ndefault_model = "gpt-5.2"\n[checkpoints]\ndebug_escalation = "ask"\n`,
  );
  repo.write('.gitignore', '.claude/\n');
  repo.write('src/gen.sh', 'protoc --ts_out=. api.proto\n');
  repo.write('.env', `API_TOKEN=${SECRET}\n`);
  repo.commitAll('base, with a committed .env');
  repo.write('src/gen.sh', 'protoc --ts_out=gen api.proto # uncommitted\n');
  repo.write('deploy.key', `${KEY}\n`); // untracked, not ignored
  repo.write(
    'error.txt',
    'Error: spawn protoc ENOENT\n    at ChildProcess._handle.onexit (node:internal/child_process:285:19)\n',
  );
  return repo;
}

/** Runs the built mm (the sandbox case); runIn the same in-process (test/helpers/mm-in.ts). */
function run(args: string[], r: TempRepo) {
  return runWith(mmAsync, args, r);
}

function runIn(args: string[], r: TempRepo) {
  return runWith(mmIn, args, r);
}

async function runWith(runner: typeof mmAsync, args: string[], r: TempRepo) {
  const before = fake.calls().length;
  writeFileSync(argvLog, '');
  const out = await runner(['escalate', 'debug', '--error', 'error.txt', '--cycles', '2', ...args], {
    cwd: r.dir,
    env,
  });
  const argvs = readFileSync(argvLog, 'utf8').split('--end--\n').filter(Boolean);
  return { ...out, calls: fake.calls().slice(before), argvs: argvs.map((a) => a.trim().split('\n')) };
}

const sandboxFlag = (argv: string[]) => argv[argv.indexOf('-s') + 1];
const cwdOf = (req: RecordedRequest) => /<cwd>([^<]+)<\/cwd>/.exec(JSON.stringify(req.body.input))?.[1];
const toolOutputs = (req: RecordedRequest) =>
  (req.body.input as Array<{ type?: string; output?: unknown }>)
    .filter((i) => i.type === 'function_call_output')
    .map((i) => JSON.stringify(i.output));

describe('mm escalate debug --option sandbox → real codex', () => {
  it('needs confirmation without --yes (exit 3, codex never started)', async () => {
    const r0 = project();
    const r = await runIn(['--option', 'sandbox'], r0);
    expect(r.code).toBe(EXIT.needs_confirmation);
    expect(r.stdout).toContain('--option sandbox --yes');
    expect(r.argvs).toHaveLength(0);
    expect(r.calls).toHaveLength(0);
  });

  it('with --yes: workspace-write in an isolated copy; the edit lands there, comes back as a stored patch; the checkout and the secrets stay put', async () => {
    const r0 = project();
    const statusBefore = r0.git('status', '--porcelain');
    const genBefore = readFileSync(join(r0.dir, 'src/gen.sh'), 'utf8');
    const r = await run(['--option', 'sandbox', '--yes'], r0);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.argvs).toHaveLength(1);
    expect(sandboxFlag(r.argvs[0]!)).toBe('workspace-write');
    // Three model turns: two tool calls, then the analysis.
    expect(r.calls).toHaveLength(3);
    const cwd = cwdOf(r.calls[0]!)!;
    expect(cwd).toContain('mm-sandbox-');
    expect(cwd).not.toBe(realpathSync(r0.dir));
    // The secret files were not in the copy: Codex's `cat` found nothing to send.
    expect(toolOutputs(r.calls[1]!).join('\n')).toMatch(/No such file or directory/);
    expect(fake.log()).not.toContain(SECRET);
    expect(fake.log()).not.toContain(KEY);
    // The user's checkout is as it was.
    expect(r0.git('status', '--porcelain')).toBe(statusBefore);
    expect(readFileSync(join(r0.dir, 'src/gen.sh'), 'utf8')).toBe(genBefore);
    // The edit comes back as a patch, printed and stored in the run, not applied.
    expect(r.stdout).toContain('Patch from the sandbox (NOT applied');
    expect(r.stdout).toContain('+command -v protoc || exit 0');
    expect(r.stdout).toContain('Left out of the copy: .env (secret path), deploy.key (secret path)');
    const stored = /git apply (\S+\.patch)/.exec(r.stdout)![1]!;
    expect(stored).toContain(join('.claude', 'mm', 'runs'));
    const patch = readFileSync(stored, 'utf8');
    expect(patch).toContain('-protoc --ts_out=gen api.proto # uncommitted');
    expect(patch).toContain('+command -v protoc || exit 0');
    expect(patch).not.toContain(SECRET);
  });

  it('--link node_modules: Codex reads the linked folder but cannot write through it, nor to the checkout by its path', async () => {
    const r0 = project();
    r0.write('.gitignore', '.claude/\nnode_modules/\n');
    r0.write('node_modules/dep/index.js', 'module.exports = 1;\n');
    const before = {
      dep: readFileSync(join(r0.dir, 'node_modules/dep/index.js'), 'utf8'),
      status: r0.git('status', '--porcelain'),
    };
    // The user's checkout sits under /tmp here, as the sandbox copy does: /tmp itself must not be writable.
    const cmd = [
      'cat node_modules/dep/index.js',
      "printf 'hacked\\n' > node_modules/dep/index.js; echo link=$?",
      `printf 'hacked\\n' > ${join(r0.dir, 'src/gen.sh')}; echo checkout=$?`,
      'mktemp >/dev/null; echo tmp=$?',
    ].join('; ');
    fake.options.reply = (req) =>
      functionCallOutputs(req) === 0
        ? { call: { name: 'exec_command', arguments: JSON.stringify({ cmd }) } }
        : JSON.stringify(ANALYSIS);
    try {
      const r = await runIn(['--option', 'sandbox', '--link', 'node_modules', '--yes', '--json'], r0);
      expect(r.code, r.stderr).toBe(0);
      expect(r.argvs[0]).toContain('sandbox_workspace_write.exclude_slash_tmp=true');
      const seen = toolOutputs(r.calls[1]!).join('\n');
      expect(seen).toContain('module.exports = 1;');
      expect(seen).toMatch(/link=[1-9]/);
      expect(seen).toMatch(/checkout=[1-9]/);
      expect(seen).toContain('tmp=0'); // tools still get a temp folder (a private one)
      expect(readFileSync(join(r0.dir, 'node_modules/dep/index.js'), 'utf8')).toBe(before.dep);
      expect(r0.git('status', '--porcelain')).toBe(before.status);
      expect(r.json().result.sandbox.files).toEqual([]);
      expect(r.json().patch).toBeNull();
    } finally {
      fake.options.reply = REPLY;
    }
  });

  it('--link without the sandbox option, or naming a secret path, is refused before anything runs (exit 2)', async () => {
    const r0 = project();
    const notSandbox = await runIn(['--option', 'codex', '--link', 'node_modules', '--yes'], r0);
    expect(notSandbox.code).toBe(EXIT.usage);
    expect(notSandbox.stderr).toContain('--link is for --option sandbox');
    const secret = await runIn(['--option', 'sandbox', '--link', '.env', '--yes'], r0);
    expect(secret.code).toBe(EXIT.usage);
    expect(secret.stderr).toContain('a secret path is never linked');
    expect([...notSandbox.argvs, ...secret.argvs]).toEqual([]);
  });

  it('--option codex stays read-only, in the repository itself', async () => {
    const r0 = project();
    const r = await runIn(['--option', 'codex', '--yes'], r0);
    expect(r.code).toBe(0);
    expect(r.argvs).toHaveLength(1);
    expect(sandboxFlag(r.argvs[0]!)).toBe('read-only');
    expect(r.argvs[0]).not.toContain('workspace-write');
    expect(cwdOf(r.calls[0]!)).toBe(realpathSync(r0.dir));
    expect(r.stdout).not.toContain('Patch from the sandbox');
  });
});
