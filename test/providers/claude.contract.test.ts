/** Contract: Claude through @anthropic-ai/sdk against a fake Messages API (ANTHROPIC_BASE_URL). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClaudeProvider } from '../../src/providers/claude.ts';
import { anthropicPromptOf, startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-server.ts';
import { contextFor } from '../helpers/invoke-context.ts';

let fake: AnthropicFake;
beforeAll(async () => {
  fake = await startAnthropicFake({ reply: 'claude answer' });
});
afterAll(() => fake.close());

const provider = (env: NodeJS.ProcessEnv = {}) =>
  createClaudeProvider(
    contextFor('', { env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, ...env } }),
  );

describe('claude adapter', () => {
  it('sends the model, adaptive thinking and the prompt; parses text and usage', async () => {
    const r = await provider().invoke({ prompt: 'synthesise', cwd: '.', task: 'code_review' });
    expect(r).toMatchObject({
      status: 'ok',
      text: 'claude answer',
      provider: 'claude',
      model: 'claude-sonnet-4-6',
      usage: { input: 80, output: 20, cached: 5 },
    });
    const sent = fake.calls().at(-1)!;
    expect(sent.body.model).toBe('claude-sonnet-4-6');
    expect(sent.body.thinking).toEqual({ type: 'adaptive' });
    expect(sent.body.stream).toBe(true);
    expect(anthropicPromptOf(sent)).toBe('synthesise');
    expect(`${sent.headers['x-api-key'] ?? ''} ${sent.headers.authorization ?? ''}`).toContain('test-key');
  });

  it('extended thinking only on escalation; never budget_tokens on Opus', async () => {
    await provider().invoke({ prompt: 'p', cwd: '.', task: 'debugging_escalated', model: 'claude-opus-4-6' });
    const opus = fake.calls().at(-1)!.body;
    expect(opus.thinking).toEqual({ type: 'adaptive' });
    expect(opus.output_config).toEqual({ effort: 'max' });
    expect(JSON.stringify(opus)).not.toContain('budget_tokens');
    await provider().invoke({ prompt: 'p', cwd: '.', task: 'debugging_escalated', model: 'claude-sonnet-4-6' });
    expect(fake.calls().at(-1)!.body.thinking).toMatchObject({ type: 'enabled' });
    await provider().invoke({ prompt: 'p', cwd: '.', task: 'simple_search', model: 'claude-haiku-4-5' });
    expect(fake.calls().at(-1)!.body.thinking).toBeUndefined();
  });

  it.each([
    ['rate_limit', 'rate_limited'],
    ['auth', 'auth'],
    ['server_error', 'failed'],
    ['max_tokens', 'truncated'],
    ['truncated', 'truncated'],
  ] as const)('fault %s → %s', async (fault, status) => {
    fake.options.fault = fault;
    const r = await provider().invoke({ prompt: 'p', cwd: '.', task: 'code_review' });
    fake.options.fault = 'none';
    expect(r.status).toBe(status);
  });

  it('a [[registry.models]] anthropic entry uses its own endpoint, key variable and wire model', async () => {
    const ctx = contextFor(
      `[[registry.models]]\nid = "my-claude"\nprovider = "anthropic"\nmodel = "claude-custom-wire"\nendpoint = "${fake.url}"\napi_key_env = "MY_CLAUDE_KEY"\n`,
      { env: { MY_CLAUDE_KEY: 'custom-key' } },
    );
    const r = await createClaudeProvider(ctx).invoke({
      prompt: 'p',
      cwd: '.',
      task: 'code_review',
      model: 'my-claude',
    });
    expect(r).toMatchObject({ status: 'ok', model: 'my-claude' });
    const sent = fake.calls().at(-1)!;
    expect(sent.body.model).toBe('claude-custom-wire');
    expect(JSON.stringify(sent.headers)).toContain('custom-key');
  });

  it('an empty reply is no answer: invalid_output, not ok', async () => {
    fake.options.reply = '';
    const r = await provider().invoke({ prompt: 'p', cwd: '.', task: 'code_review' });
    fake.options.reply = 'claude answer';
    expect(r).toMatchObject({ status: 'invalid_output', error: 'empty reply' });
  });

  it('a stream that stalls after its first events → timeout (the SDK timeout stops at the headers)', async () => {
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(
        `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } })}\n\n`,
      );
    });
    await new Promise<void>((res) => stalling.listen(0, '127.0.0.1', res));
    const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}`;
    // The race only keeps a broken timeout from hanging the suite.
    const r = await Promise.race([
      provider({ ANTHROPIC_BASE_URL: url }).invoke({ prompt: 'p', cwd: '.', task: 'code_review', timeoutMs: 1000 }),
      new Promise<'hung'>((res) => setTimeout(() => res('hung'), 6000)),
    ]);
    stalling.closeAllConnections();
    stalling.close();
    expect(r).not.toBe('hung');
    expect(r).toMatchObject({ status: 'timeout' });
  }, 15_000);

  it('without a key: auth, nothing sent', async () => {
    const before = fake.calls().length;
    const r = await provider({ ANTHROPIC_API_KEY: '' }).invoke({ prompt: 'p', cwd: '.', task: 'code_review' });
    expect(r.status).toBe('auth');
    expect(fake.calls().length).toBe(before);
  });
});
