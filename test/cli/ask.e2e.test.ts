/** `mm ask` and `mm usage` through the BUILT CLI, against fakes and stub CLIs. */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexEnv, codexPromptOf, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { writeStubCli, type StubBehaviour } from '../fakes/stub-cli.ts';
import { CODEX_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { MM_BIN } from '../helpers/mm.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir } from '../helpers/repo.ts';
import { exits } from '../helpers/process.ts';

let fake: CodexFake;
let project: string;
beforeAll(async () => {
  fake = await startCodexFake({ reply: 'codex says hi' });
  project = tempDir('mm-ask-');
});
afterAll(() => fake.close());

const noClaude = { ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };

function withGeminiStub(behaviour: StubBehaviour, extra = ''): string {
  const dir = tempDir('mm-ask-stub-');
  const stub = writeStubCli(dir, 'gemini', behaviour);
  writeProjectConfig(
    dir,
    `[models]\ngemini_enabled = true\n[models.gemini]\ncommand = "${stub}"\nflash_fallback_on_rate_limit = false\n${extra}`,
  );
  return dir;
}

describe('mm ask', () => {
  it('asks the real codex CLI and prints the text; --json prints the whole result', async () => {
    writeProjectConfig(project, `[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n`);
    const env = { ...codexEnv(fake, project), ...noClaude };
    const text = await mmAsync(['ask', 'codex', '--effort', 'low', '--task', 'code_review'], {
      cwd: project,
      env,
      input: 'is this fine?',
    });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout.trim()).toBe('codex says hi');
    const sent = fake.calls().at(-1)!;
    expect(sent.body.reasoning.effort).toBe('low');
    expect(codexPromptOf(sent)).toBe('is this fine?');

    const json = await mmAsync(['ask', 'codex', '--json'], { cwd: project, env, input: 'again' });
    expect(json.code).toBe(0);
    expect(json.json()).toMatchObject({
      status: 'ok',
      provider: 'codex',
      model: 'gpt-5.2',
      text: 'codex says hi',
      usage: { input: 120 },
    });
    expect(json.json().costUsd).toBeGreaterThan(0);
  });

  it('refuses a prompt over 1,048,576 characters for codex before calling it', async () => {
    const env = { ...codexEnv(fake, project), ...noClaude };
    const before = fake.calls().length;
    const r = await mmAsync(['ask', 'codex', '--no-fallback'], { cwd: project, env, input: 'y'.repeat(1_048_577) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/input_too_large/);
    expect(fake.calls().length).toBe(before);
  });

  it('passes a 1 MB prompt to the CLI intact (stdin, not argv)', async () => {
    const dir = withGeminiStub({ kind: 'echo-stdin' });
    const prompt = `${'a1b2c3✓ '.repeat(131_072)}END`;
    const r = await mmAsync(['ask', 'gemini', '--json', '--no-fallback'], { cwd: dir, env: noClaude, input: prompt });
    expect(r.code).toBe(0);
    const echoed = JSON.parse(r.json().text);
    expect(echoed.length).toBe(prompt.length);
    expect(echoed.sha256).toBe(createHash('sha256').update(prompt).digest('hex'));
    expect(echoed.argv).toEqual(['-p', '', '-m', 'gemini-3.1-pro-preview', '-o', 'json', '--approval-mode', 'default']);
  });

  it.each<[string, StubBehaviour, number]>([
    ['hang', { kind: 'hang' }, 11],
    ['rate limit', { kind: 'exit', code: 173 }, 12],
    ['garbage', { kind: 'garbage' }, 14],
    ['auth', { kind: 'exit', code: 41 }, 15],
    ['crash', { kind: 'crash' }, 1],
  ])('%s → exit %i', async (_name, behaviour, code) => {
    const dir = withGeminiStub(behaviour);
    const r = await mmAsync(['ask', 'gemini', '--timeout', '1'], { cwd: dir, env: noClaude, input: 'p' });
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
  });

  it('an empty prompt is refused before any call, from stdin or --prompt-file alike', async () => {
    const dir = withGeminiStub({ kind: 'echo-stdin' });
    writeFileSync(join(dir, 'empty.md'), '\n');
    const piped = await mmAsync(['ask', 'gemini'], { cwd: dir, env: noClaude, input: '  \n' });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(/the prompt is empty/);
    const fromFile = await mmIn(['ask', 'gemini', '--prompt-file', 'empty.md'], { cwd: dir, env: noClaude });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(/the prompt is empty \(--prompt-file empty\.md\)/);
    expect(fromFile.stdout).toBe('');
  });

  it('missing binary → exit 10', async () => {
    const dir = tempDir('mm-ask-missing-');
    writeProjectConfig(dir, `[models.gemini]\ncommand = "${join(dir, 'nope')}"\n`);
    const r = await mmAsync(['ask', 'gemini'], { cwd: dir, env: noClaude, input: 'p' });
    expect(r.code).toBe(10);
    expect(r.stderr).toMatch(/unavailable/);
  });

  it('over budget → exit 16, naming the budget', async () => {
    const dir = withGeminiStub({ kind: 'echo-stdin' }, '[usage]\nmonthly_budget_usd = 0\n');
    const r = await mmAsync(['ask', 'gemini'], { cwd: dir, env: noClaude, input: 'p' });
    expect(r.code).toBe(16);
    expect(r.stderr).toMatch(/usage.monthly_budget_usd/);
  });

  it('validates --schema replies and prints the parsed JSON', async () => {
    const dir = withGeminiStub({
      kind: 'exit',
      code: 0,
      stdout: JSON.stringify({ response: '{"verdict":"approve"}', stats: { models: {} } }),
    });
    writeFileSync(
      join(dir, 's.json'),
      JSON.stringify({
        type: 'object',
        properties: { verdict: { enum: ['approve', 'reject'] } },
        required: ['verdict'],
      }),
    );
    const r = await mmAsync(['ask', 'gemini', '--schema', 's.json'], { cwd: dir, env: noClaude, input: 'p' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ verdict: 'approve' });
    writeFileSync(
      join(dir, 's.json'),
      JSON.stringify({ type: 'object', properties: { verdict: { enum: ['reject'] } }, required: ['verdict'] }),
    );
    expect((await mmAsync(['ask', 'gemini', '--schema', 's.json'], { cwd: dir, env: noClaude, input: 'p' })).code).toBe(
      14,
    );
  });
});

describe('mm ask interrupted', () => {
  it('SIGTERM to mm kills the CLI and its children too', async () => {
    const dir = withGeminiStub({ kind: 'hang-with-child' });
    const pidFile = join(dir, 'child.pid');
    const child = spawn(process.execPath, [MM_BIN, 'ask', 'gemini'], {
      cwd: dir,
      env: { ...process.env, ...noClaude, MM_CONFIG: '', STUB_CHILD_PID_FILE: pidFile },
    });
    child.stdin.end('p');
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 50));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(await exits(grandchild)).toBe(true);
  });
});

describe('mm usage', () => {
  it('reports calls, tokens, cost and failure rate from the ledger', async () => {
    const r = await mmIn(['usage', '--by', 'provider', '--json'], { cwd: project });
    expect(r.code).toBe(0);
    const report = r.json();
    const codex = report.rows.find((row: { key: string }) => row.key === 'codex');
    expect(codex.calls).toBeGreaterThanOrEqual(3);
    expect(codex.failures).toBeGreaterThanOrEqual(1); // the refused oversize prompt
    expect(codex.tokens.input).toBeGreaterThanOrEqual(240);
    expect(report.total.costUsd).toBeGreaterThan(0);
    const text = await mmIn(['usage', '--since', '7d'], { cwd: project });
    expect(text.stdout).toMatch(/gpt-5\.2/);
    expect((await mmIn(['usage', '--since', 'yesterday-ish'], { cwd: project })).code).toBe(2);
  });

  it('"tokens out" counts reasoning once: it is already part of output', async () => {
    const dir = tempDir('mm-usage-');
    writeProjectConfig(dir, '');
    mkdirSync(join(dir, '.claude', 'mm'), { recursive: true });
    const line = {
      ts: new Date().toISOString(),
      provider: 'codex',
      model: 'gpt-5.2',
      task: 't',
      status: 'ok',
      tokens: { input: 100, output: 30, reasoning: 10, cached: 0 },
      latency_ms: 1,
      cost_usd: 0.001,
    };
    writeFileSync(join(dir, '.claude', 'mm', 'usage.jsonl'), `${JSON.stringify(line)}\n`);
    const r = await mmIn(['usage'], { cwd: dir });
    expect(r.code).toBe(0);
    const row = r.stdout.split('\n').find((l) => l.startsWith('gpt-5.2'))!;
    expect(row.trim().split(/\s+/).slice(1, 5)).toEqual(['1', '0%', '100', '30']);
  });
});
