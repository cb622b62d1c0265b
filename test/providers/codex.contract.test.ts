/** Contract: the REAL codex CLI (npm @openai/codex) against a fake Responses API. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODEX_MAX_PROMPT_CHARS, createCodexProvider } from '../../src/providers/codex.ts';
import { RECHECK_INSTRUCTION } from '../../src/providers/task-kinds.ts';
import { codexEnv, codexPromptOf, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { CODEX_BIN, contextFor } from '../helpers/invoke-context.ts';

let fake: CodexFake;
let home: string;
const config = `[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n`;
const provider = () => createCodexProvider(contextFor(config, { env: { ...process.env, ...codexEnv(fake, home) } }));

beforeAll(async () => {
  fake = await startCodexFake();
  home = mkdtempSync(join(tmpdir(), 'mm-codex-'));
});
afterAll(() => fake.close());

const call = async (over: Partial<Parameters<ReturnType<typeof provider>['invoke']>[0]> = {}) => {
  const before = fake.calls().length;
  const result = await provider().invoke({
    prompt: 'review this',
    cwd: home,
    task: 'code_review',
    timeoutMs: 30_000,
    ...over,
  });
  return { result, sent: fake.calls().slice(before) };
};

describe('codex adapter against the real CLI', () => {
  it('sends model, effort and prompt; parses reply, usage and thread id', async () => {
    fake.options.fault = 'none';
    fake.options.reply = 'looks fine';
    const { result, sent } = await call({ effort: 'high' });
    expect(result.status).toBe('ok');
    expect(result.text).toBe('looks fine');
    expect(result.model).toBe('gpt-5.2'); // review → general line
    expect(result.usage).toEqual({ input: 120, cached: 20, output: 30, reasoning: 10 });
    expect(result.threadId).toMatch(/[0-9a-f-]{36}/);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.model).toBe('gpt-5.2');
    expect(sent[0]!.body.reasoning.effort).toBe('high');
    expect(codexPromptOf(sent[0]!)).toBe('review this');
    expect(sent[0]!.headers.authorization).toBe('Bearer fake-key');
  });

  it('uses the coding line and the re-check instruction for debugging; policy effort', async () => {
    fake.options.fault = 'none';
    const { result, sent } = await call({ task: 'debugging', prompt: 'why does it crash' });
    expect(result.status).toBe('ok');
    expect(sent[0]!.body.model).toBe('gpt-5.3-codex');
    expect(sent[0]!.body.reasoning.effort).toBe('high'); // effort_policy.debugging.codex
    expect(codexPromptOf(sent[0]!)).toContain(RECHECK_INSTRUCTION);
  });

  it('validates a structured reply against the schema (ok and invalid_output)', async () => {
    const schema = {
      type: 'object',
      properties: { verdict: { type: 'string', enum: ['approve', 'reject'] } },
      required: ['verdict'],
      additionalProperties: false,
    };
    fake.options.fault = 'none';
    fake.options.reply = '{"verdict":"approve"}';
    const ok = await call({ schema });
    expect(ok.result.status).toBe('ok');
    expect(ok.result.json).toEqual({ verdict: 'approve' });
    expect(ok.sent[0]!.body.text.format.schema).toMatchObject({ required: ['verdict'] });
    fake.options.reply = '{"verdict":"maybe"}';
    expect((await call({ schema })).result.status).toBe('invalid_output');
    fake.options.reply = '{"verdict":"appr';
    expect((await call({ schema })).result.status).toBe('truncated');
  });

  it.each([
    ['rate_limit', 'rate_limited'],
    ['auth', 'auth'],
    ['server_error', 'failed'],
    ['truncated', 'truncated'],
  ] as const)('fault %s → %s', async (fault, status) => {
    fake.options.fault = fault;
    const { result } = await call();
    fake.options.fault = 'none';
    expect(result.status).toBe(status);
    expect(result.error).toBeTruthy();
  });

  it('a 1 MB prompt reaches the model intact through the real CLI', async () => {
    fake.options.fault = 'none';
    const prompt = `${'line of a very long prompt ✓\n'.repeat(35_000)}END`;
    const { result, sent } = await call({ prompt });
    expect(result.status).toBe('ok');
    expect(codexPromptOf(sent[0]!)).toBe(prompt);
  });

  it('a server that never answers → timeout, and codex is killed', async () => {
    fake.options.fault = 'hang';
    const { result } = await call({ timeoutMs: 1500 });
    fake.options.fault = 'none';
    expect(result.status).toBe('timeout');
  });

  it('garbage instead of SSE → not ok', async () => {
    fake.options.fault = 'garbage';
    const { result } = await call();
    fake.options.fault = 'none';
    expect(result.status).not.toBe('ok');
    expect(result.error).toBeTruthy();
  });

  it('refuses a prompt over 1,048,576 characters before calling codex', async () => {
    const { result, sent } = await call({ prompt: 'x'.repeat(CODEX_MAX_PROMPT_CHARS + 1) });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/input_too_large/);
    expect(sent).toHaveLength(0);
  });

  it('resumes a thread by id', async () => {
    fake.options.fault = 'none';
    fake.options.reply = 'first';
    const first = await call();
    fake.options.reply = 'second';
    const { result, sent } = await call({ threadId: first.result.threadId, prompt: 'and now?' });
    expect(result.status).toBe('ok');
    expect(result.text).toBe('second');
    expect(result.threadId).toBe(first.result.threadId);
    // The resumed turn carries the earlier conversation.
    expect(JSON.stringify(sent[0]!.body.input)).toContain('review this');
    expect(codexPromptOf(sent[0]!)).toBe('and now?');
  });

  it("a resumed turn keeps mm's sandbox, not the one in ~/.codex/config.toml", async () => {
    fake.options.fault = 'none';
    const widened = mkdtempSync(join(tmpdir(), 'mm-codex-widened-'));
    const env = { ...process.env, ...codexEnv(fake, widened) };
    const userConfig = join(env.CODEX_HOME!, 'config.toml');
    writeFileSync(userConfig, `sandbox_mode = "danger-full-access"\n${readFileSync(userConfig, 'utf8')}`);
    const widenedProvider = createCodexProvider(contextFor(config, { env }));
    const first = await widenedProvider.invoke({ prompt: 'one', cwd: widened, task: 'code_review', timeoutMs: 30_000 });
    const before = fake.calls().length;
    const resumed = await widenedProvider.invoke({
      prompt: 'two',
      cwd: widened,
      task: 'code_review',
      timeoutMs: 30_000,
      threadId: first.threadId,
    });
    expect(resumed.status).toBe('ok');
    // Codex tells the model its sandbox; the last such line is the one in force for this turn.
    const modes = [...JSON.stringify(fake.calls()[before]!.body).matchAll(/`sandbox_mode` is `([a-z-]+)`/g)].map(
      (m) => m[1],
    );
    expect(modes.at(-1)).toBe('read-only');
    expect(modes).not.toContain('danger-full-access');
  });

  it('an empty reply is no answer: invalid_output, not ok', async () => {
    fake.options.fault = 'none';
    fake.options.reply = '';
    const { result } = await call();
    fake.options.reply = 'looks fine';
    expect(result).toMatchObject({ status: 'invalid_output', error: 'empty reply' });
  });

  it('rejects an effort value Codex would not validate', async () => {
    await expect(call({ effort: 'ultra' })).rejects.toThrow(/invalid Codex effort/);
  });
});
