/** Contract: the REAL gemini CLI (npm @google/gemini-cli) against a fake Gemini API. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiProvider } from '../../src/providers/gemini.ts';
import type { InvokeRequest } from '../../src/providers/types.ts';
import { geminiEnv, geminiModelOf, geminiPromptOf, startGeminiFake, type GeminiFake } from '../fakes/gemini-server.ts';
import { contextFor, GEMINI_BIN } from '../helpers/invoke-context.ts';

let fake: GeminiFake;
let home: string;
const baseConfig = `[models]\ngemini_enabled = true\n[models.gemini]\ncommand = "${GEMINI_BIN}"\n`;
const provider = (extra = '') =>
  createGeminiProvider(contextFor(baseConfig + extra, { env: { ...process.env, ...geminiEnv(fake, home) } }));

beforeAll(async () => {
  fake = await startGeminiFake();
  home = mkdtempSync(join(tmpdir(), 'mm-gemini-'));
});
afterAll(() => fake.close());

const call = async (over: Partial<InvokeRequest> = {}, extraConfig = '') => {
  const before = fake.calls().length;
  const result = await provider(extraConfig).invoke({
    prompt: 'summarise the module',
    cwd: home,
    task: 'plan_review',
    timeoutMs: 60_000,
    ...over,
  });
  return { result, sent: fake.calls().slice(before) };
};

describe('gemini adapter against the real CLI', () => {
  // One launch of the real CLI serves both: the prompt goes through stdin, so a 1 MB one
  // (with non-ASCII text) proves the plain path and the size path at once.
  it('sends the wire model and a 1 MB prompt intact through stdin; parses reply and usage', async () => {
    Object.assign(fake.options, { fault: 'none', faultModel: undefined, reply: 'a summary' });
    const prompt = `${'line of a very long prompt ✓\n'.repeat(35_000)}END`;
    const { result, sent } = await call({ prompt });
    expect(result.status).toBe('ok');
    expect(result.text).toBe('a summary');
    expect(result.model).toBe('gemini-3.1-pro');
    expect(result.usage).toMatchObject({ input: 100, output: 25 });
    expect(sent).toHaveLength(1);
    expect(geminiModelOf(sent[0]!)).toBe('gemini-3.1-pro-preview');
    expect(geminiPromptOf(sent[0]!)).toBe(prompt);
    expect(sent[0]!.headers['x-goog-api-key']).toBe('fake-gemini-key');
  });

  it('uses Flash for simple tasks (flash_threshold = simple)', async () => {
    Object.assign(fake.options, { fault: 'none', reply: 'found' });
    const { result, sent } = await call({ task: 'simple_search' });
    expect(result.model).toBe('gemini-3-flash');
    expect(geminiModelOf(sent[0]!)).toBe('gemini-3-flash-preview');
  });

  it('falls back to Flash on 429 when allowed, recording both attempts', async () => {
    Object.assign(fake.options, { fault: 'rate_limit', faultModel: 'gemini-3.1-pro-preview', reply: 'flash answer' });
    const { result, sent } = await call();
    expect(result.status).toBe('ok');
    expect(result.model).toBe('gemini-3-flash');
    expect(result.attempts.map((a) => [a.model, a.status])).toEqual([
      ['gemini-3.1-pro', 'rate_limited'],
      ['gemini-3-flash', 'ok'],
    ]);
    expect(sent.map(geminiModelOf)).toEqual(['gemini-3.1-pro-preview', 'gemini-3-flash-preview']);
  });

  it('reports rate_limited when the Flash fallback is off', async () => {
    Object.assign(fake.options, { fault: 'rate_limit', faultModel: undefined });
    const { result, sent } = await call({}, 'flash_fallback_on_rate_limit = false\n');
    expect(result.status).toBe('rate_limited');
    expect(sent).toHaveLength(1);
  });

  it("a rate-limited Flash call ends as rate_limited at the CLI's first retry, not after its ~4 min loop", async () => {
    // The CLI retries Flash 429s about ten times whatever maxAttempts says (issue 10, family 11).
    Object.assign(fake.options, { fault: 'rate_limit', faultModel: undefined });
    const { result, sent } = await call({ task: 'simple_search', timeoutMs: 120_000 });
    expect(result.status).toBe('rate_limited');
    expect(result.error).toMatch(/429/);
    expect(sent.map(geminiModelOf).every((m) => m === 'gemini-3-flash-preview')).toBe(true);
    expect(sent.length).toBeLessThanOrEqual(2);
  }, 150_000);

  it.each([
    ['auth', 'auth'],
    ['server_error', 'failed'],
    ['max_tokens', 'truncated'],
  ] as const)('fault %s → %s', async (fault, status) => {
    Object.assign(fake.options, { fault, faultModel: undefined });
    const { result } = await call();
    fake.options.fault = 'none';
    expect(result.status).toBe(status);
    expect(result.error).toBeTruthy();
  });

  it('a server that never answers → timeout', async () => {
    Object.assign(fake.options, { fault: 'hang', faultModel: undefined });
    const { result } = await call({ timeoutMs: 4000 });
    fake.options.fault = 'none';
    expect(result.status).toBe('timeout');
  });

  it('splits a diff above chunking_threshold by file and merges the parts', async () => {
    Object.assign(fake.options, {
      fault: 'none',
      reply: (req: any) => `reviewed ${/diff --git a\/(\S+)/.exec(geminiPromptOf(req))?.[1]}`,
    });
    const file = (name: string) =>
      `diff --git a/${name} b/${name}\n--- a/${name}\n+++ b/${name}\n@@ -1,2 +1,2 @@\n-old\n+${'n'.repeat(300)}\n`;
    // Two files make two parts (two launches of the real CLI): enough to prove the split and the merge.
    const diff = ['a.ts', 'b.ts'].map(file).join('');
    const { result, sent } = await call({ prompt: `Review this change.\n${diff}` }, 'chunking_threshold = 100\n');
    expect(result.status).toBe('ok');
    expect(sent).toHaveLength(2);
    for (const req of sent) expect(geminiPromptOf(req)).toMatch(/^Review this change\.\n\(Part \d of 2/);
    expect(result.text).toContain('reviewed a.ts');
    expect(result.text).toContain('reviewed b.ts');
    fake.options.reply = 'ok';
  });
});
