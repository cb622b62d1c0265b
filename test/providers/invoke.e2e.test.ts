/** invokeModel: fallback chain, ledger, budgets, privacy (always_local) and the secrets guard end to end. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokeModel } from '../../src/providers/index.ts';
import { readLedger } from '../../src/usage/ledger.ts';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-server.ts';
import { codexEnv, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { startOpenAiCompatibleFake, type LocalFake } from '../fakes/local-servers.ts';
import { writeStubCli } from '../fakes/stub-cli.ts';
import { CODEX_BIN, contextFor } from '../helpers/invoke-context.ts';

let claude: AnthropicFake;
let codex: CodexFake;
let local: LocalFake;
const dir = mkdtempSync(join(tmpdir(), 'mm-invoke-'));
beforeAll(async () => {
  claude = await startAnthropicFake({ reply: 'claude took over' });
  codex = await startCodexFake({ reply: 'codex reply' });
  local = await startOpenAiCompatibleFake({ reply: 'stayed local' });
});
afterAll(async () => {
  await Promise.all([claude.close(), codex.close(), local.close()]);
});

const claudeEnv = () => ({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: claude.url });

describe('invokeModel', () => {
  it('walks primary → fallback → Claude, recording each hop in the result and the ledger', async () => {
    const hang = writeStubCli(dir, 'gemini-hang', { kind: 'hang' });
    const ctx = contextFor(`[models]\ngemini_enabled = true\n[models.gemini]\ncommand = "${hang}"\n`, {
      env: claudeEnv(),
    });
    // The timeout also bounds Claude's answer: 400 ms was too short for it on a loaded machine.
    const r = await invokeModel('gemini', { prompt: 'research x', cwd: dir, task: 'research', timeoutMs: 1500 }, ctx);
    expect(r.status).toBe('ok');
    expect(r.text).toBe('claude took over');
    expect(r.attempts.map((a) => `${a.model}:${a.status}`)).toEqual([
      'gemini-3.1-pro:timeout',
      'gemini-3-flash:timeout',
      'claude-sonnet-4-6:ok',
    ]);
    const ledger = readLedger(join(ctx.root, '.claude/mm/usage.jsonl'));
    expect(ledger.map((e) => e.status)).toEqual(['timeout', 'timeout', 'ok']);
    // The ledger is mm's state, kept out of the user's `git status`.
    expect(readFileSync(join(ctx.root, '.claude/mm/.gitignore'), 'utf8')).toBe('*\n');
    expect(ledger[2]).toMatchObject({
      provider: 'claude',
      model: 'claude-sonnet-4-6',
      task: 'research',
      fallback_from: 'gemini-3-flash',
    });
    expect(ledger[1]!.note).toMatch(/^fallback from gemini-3.1-pro to gemini-3-flash \(timeout/);
    expect(ledger[2]!.cost_usd).toBeGreaterThan(0);
  });

  it('writes one ledger line per call, including the Gemini Pro → Flash retry', async () => {
    const limited = writeStubCli(dir, 'gemini-429', { kind: 'exit', code: 173, stderr: 'quota' });
    const ctx = contextFor(`[models]\ngemini_enabled = true\n[models.gemini]\ncommand = "${limited}"\n`, {
      env: claudeEnv(),
    });
    const r = await invokeModel('gemini', { prompt: 'p', cwd: dir, task: 'plan_review' }, ctx);
    // plan_review uses the "review" chain: gpt-5.2 (codex not enabled: skipped), gemini-3.1-pro (tried), claude-sonnet-4-6.
    expect(r.attempts.map((a) => `${a.model}:${a.status}`)).toEqual([
      'gemini-3.1-pro:rate_limited',
      'gemini-3-flash:rate_limited',
      'claude-sonnet-4-6:ok',
    ]);
    const ledger = readLedger(join(ctx.root, '.claude/mm/usage.jsonl'));
    expect(ledger.map((e) => [e.model, e.status, e.fallback_from ?? null])).toEqual([
      ['gemini-3.1-pro', 'rate_limited', null],
      ['gemini-3-flash', 'rate_limited', 'gemini-3.1-pro'],
      ['claude-sonnet-4-6', 'ok', 'gemini-3-flash'],
    ]);
  });

  it('does not hide an auth failure behind a fallback', async () => {
    const auth = writeStubCli(dir, 'gemini-auth', { kind: 'exit', code: 41, stderr: 'no auth' });
    const ctx = contextFor(`[models]\ngemini_enabled = true\n[models.gemini]\ncommand = "${auth}"\n`, {
      env: claudeEnv(),
    });
    const before = claude.calls().length;
    const r = await invokeModel('gemini', { prompt: 'p', cwd: dir, task: 'research' }, ctx);
    expect(r.status).toBe('auth');
    expect(r.attempts).toHaveLength(1);
    expect(claude.calls().length).toBe(before);
  });

  it('fallback: false reports the first failure as is', async () => {
    const crash = writeStubCli(dir, 'gemini-crash', { kind: 'crash' });
    const ctx = contextFor(`[models.gemini]\ncommand = "${crash}"\n`, { env: claudeEnv() });
    const r = await invokeModel('gemini', { prompt: 'p', cwd: dir, task: 'research', fallback: false }, ctx);
    expect(r.status).toBe('failed');
    expect(r.attempts).toHaveLength(1);
  });

  it('keeps always_local tasks on the local model, whatever the target', async () => {
    const ctx = contextFor(
      `[models]\nlocal_llm_enabled = true\n[models.local_llm]\napi = "openai-compatible"\nendpoint = "${local.url}"\nalways_local = ["security"]\n`,
      { env: claudeEnv() },
    );
    const before = codex.calls().length;
    const r = await invokeModel('codex', { prompt: 'API_KEY=abc', cwd: dir, task: 'security' }, ctx);
    expect(r).toMatchObject({ status: 'ok', provider: 'local', text: 'stayed local' });
    expect(codex.calls().length).toBe(before);
    // On the machine, nothing is redacted.
    expect(local.calls().at(-1)!.body.messages[0].content).toBe('API_KEY=abc');
  });

  it('guards a [[registry.models]] entry on the local adapter: its endpoint may be remote', async () => {
    const remote = `[[registry.models]]\nid = "router-model"\nprovider = "openai-compatible"\nendpoint = "${local.url}/v1"\nmodel = "deepseek/deepseek-chat"\n`;
    const ctx = contextFor(remote, { env: claudeEnv() });
    const r = await invokeModel(
      'router-model',
      { prompt: 'token ghp_R4nd0mT0k3nV4lu3Abcdefghijklmnopqrst', cwd: dir, task: 'documentation', fallback: false },
      ctx,
    );
    expect(r).toMatchObject({ status: 'ok', provider: 'local', model: 'router-model' });
    expect(local.calls().at(-1)!.body.messages[0].content).toBe('token [REDACTED GitHub token]');
    expect(r.withheld).toEqual(['redacted 1 × GitHub token']);
  });

  it('privacy: true keeps a request local with no fallback', async () => {
    const before = claude.calls().length;
    const down = contextFor(
      `[models]\nlocal_llm_enabled = true\n[models.local_llm]\napi = "openai-compatible"\nendpoint = "http://127.0.0.1:9"\n`,
      { env: claudeEnv() },
    );
    const r = await invokeModel('claude', { prompt: 'nda code', cwd: dir, task: 'documentation', privacy: true }, down);
    expect(r.status).toBe('unavailable');
    expect(r.attempts.map((a) => a.provider)).toEqual(['local']);
    const disabled = contextFor('', { env: claudeEnv() });
    const off = await invokeModel(
      'claude',
      { prompt: 'nda code', cwd: dir, task: 'documentation', privacy: true },
      disabled,
    );
    expect(off.error).toMatch(/privacy-sensitive.*local_llm_enabled = false/);
    expect(claude.calls().length).toBe(before);
  });

  it('a failing local model does not fall back, not even to Claude: the prompt stays on the machine', async () => {
    const ctx = contextFor(
      `[models]\nlocal_llm_enabled = true\n[models.local_llm]\napi = "openai-compatible"\nendpoint = "http://127.0.0.1:9"\n`,
      { env: claudeEnv() },
    );
    const before = claude.calls().length;
    const r = await invokeModel('local', { prompt: 'summarise', cwd: dir, task: 'documentation' }, ctx);
    expect(r.status).toBe('unavailable');
    expect(r.attempts.map((a) => `${a.provider}:${a.status}`)).toEqual(['local:unavailable']);
    expect(claude.calls().length).toBe(before);
  });

  it('refuses a call over the monthly budget before sending, naming the budget', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mm-budget-'));
    mkdirSync(join(root, '.claude/mm'), { recursive: true });
    const spent = {
      ts: new Date().toISOString(),
      provider: 'claude',
      model: 'claude-sonnet-4-6',
      task: 't',
      status: 'ok',
      tokens: { input: 0, output: 0, reasoning: 0, cached: 0 },
      latency_ms: 1,
      cost_usd: 0.99,
    };
    writeFileSync(join(root, '.claude/mm/usage.jsonl'), `${JSON.stringify(spent)}\n`);
    const ctx = contextFor('[usage]\nmonthly_budget_usd = 1.0\n', { root, env: claudeEnv() });
    const before = claude.calls().length;
    await expect(
      invokeModel('claude', { prompt: 'x'.repeat(40_000), cwd: dir, task: 'code_review' }, ctx),
    ).rejects.toMatchObject({
      kind: 'budget',
      message: expect.stringContaining('usage.monthly_budget_usd ($1)'),
    });
    expect(claude.calls().length).toBe(before);
  });

  it('refuses per checkpoint budget', async () => {
    const ctx = contextFor('[usage]\ncheckpoint_budget_usd = 0.0001\n', { env: claudeEnv() });
    await expect(
      invokeModel('claude', { prompt: 'x'.repeat(4000), cwd: dir, task: 'plan_review', checkpoint: 'plan-1' }, ctx),
    ).rejects.toMatchObject({ kind: 'budget', message: expect.stringContaining('checkpoint_budget_usd') });
  });
});

describe('secrets guard end to end (real codex CLI)', () => {
  const corpus = {
    pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAz3Xq9secretkeymaterialAAAAB3NzaC1yc2EAAAADAQABAAABAQ\n-----END RSA PRIVATE KEY-----',
    aws: 'AKIAIOSFODNN7EXAMPLQ',
    github: 'ghp_R4nd0mT0k3nV4lu3Abcdefghijklmnopqrst',
    openai: 'sk-proj-Zx81kLmN0pQrStUvWxYz1234567890abcdEFGH',
    anthropic: 'sk-ant-api03-Qw3rTy8uIoPaSdFgHjKl0987654321zxcvbnm',
    google: 'AIzaSyD4f8Kq2Lm9Xw3Vb7Nc1Rt6Yh0Ju5Ip8Oq',
    assigned: 'Xk9#mQ2$vL7pR4tW8zN1',
    password: 'hunter2hunter2',
    envFile: 'DATABASE_URL=postgres://admin:Sup3rS3cr3tDbPw@db/prod',
    keyFile: 'key-file-content-7f3a9c1e',
  };

  it('none of the corpus reaches the fake server; the result lists what was withheld', async () => {
    const fake = codex;
    const project = mkdtempSync(join(tmpdir(), 'mm-secrets-'));
    writeFileSync(join(project, '.env.production'), corpus.envFile);
    writeFileSync(join(project, 'server.key'), corpus.keyFile);
    writeFileSync(join(project, 'id_rsa'), corpus.pem);
    writeFileSync(
      join(project, 'app.ts'),
      `const client = new Client({ token: "${corpus.github}" });\nexport const ok = 1;\n`,
    );
    const prompt = [
      'Review this config and code.',
      corpus.pem,
      `aws_access_key_id = ${corpus.aws}`,
      `OPENAI_API_KEY=${corpus.openai}`,
      `anthropic: ${corpus.anthropic}`,
      `const maps = "${corpus.google}";`,
      `STRIPE_SECRET = "${corpus.assigned}"`,
      `password: ${corpus.password}`,
      'diff --git a/.env b/.env\n--- a/.env\n+++ b/.env\n@@ -1 +1 @@\n-A=1\n+' + corpus.envFile,
      'diff --git a/src/x.ts b/src/x.ts\n--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1 +1 @@\n-a\n+b',
    ].join('\n');
    const ctx = contextFor(`[models.codex]\ncommand = "${CODEX_BIN}"\n`, {
      env: { ...process.env, ...codexEnv(fake, project) },
    });
    const before = fake.calls().length;
    const r = await invokeModel(
      'codex',
      {
        prompt,
        files: ['.env.production', 'server.key', 'id_rsa', 'app.ts'],
        cwd: project,
        task: 'code_review',
        fallback: false,
      },
      ctx,
    );
    expect(r.status).toBe('ok');
    expect(fake.calls().length).toBe(before + 1);
    const log = fake.log();
    for (const [name, value] of Object.entries(corpus)) {
      expect(log, name).not.toContain(value);
      for (const line of value.split('\n').filter((l) => l.length > 12 && !l.startsWith('-----')))
        expect(log, name).not.toContain(line);
    }
    // The harmless parts still arrive.
    expect(log).toContain('export const ok = 1');
    expect(log).toContain('src/x.ts');
    expect(r.withheld).toEqual(
      expect.arrayContaining([
        'withheld file .env.production (secret path)',
        'withheld file server.key (secret path)',
        'withheld file id_rsa (secret path)',
        'withheld diff of .env (secret path)',
        expect.stringMatching(/redacted \d × private key/),
        expect.stringMatching(/GitHub token/),
      ]),
    );
  });

  it('on_secret = "refuse" refuses before sending', async () => {
    const ctx = contextFor(`[secrets]\non_secret = "refuse"\n[models.codex]\ncommand = "${CODEX_BIN}"\n`, {
      env: { ...process.env, ...codexEnv(codex, dir) },
    });
    const before = codex.calls().length;
    await expect(
      invokeModel('codex', { prompt: `token ${corpus.github}`, cwd: dir, task: 'code_review' }, ctx),
    ).rejects.toMatchObject({ kind: 'input', message: expect.stringContaining('GitHub token') });
    expect(codex.calls().length).toBe(before);
  });
});
