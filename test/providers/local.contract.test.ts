/** Contract: local models through the OpenAI-compatible API and Ollama's native API (fakes). */
import { existsSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider } from '../../src/providers/local.ts';
import { localEvalPath } from '../../src/providers/local-eval.ts';
import { startOllamaFake, startOpenAiCompatibleFake, type LocalFake } from '../fakes/local-servers.ts';
import { contextFor } from '../helpers/invoke-context.ts';
import { tempDir } from '../helpers/repo.ts';

let openai: LocalFake;
let ollama: LocalFake;
beforeAll(async () => {
  openai = await startOpenAiCompatibleFake({ reply: 'local says hi' });
  ollama = await startOllamaFake({ reply: 'ollama says hi' });
});
afterAll(async () => {
  await openai.close();
  await ollama.close();
});

const local = (api: string, endpoint: string, extra = '') =>
  `[models]\nlocal_llm_enabled = true\n[models.local_llm]\napi = "${api}"\nendpoint = "${endpoint}"\nmodel = "qwen-test"\n${extra}`;

describe('local models', () => {
  it('OpenAI-compatible: sends model and prompt to /v1/chat/completions', async () => {
    const r = await createLocalProvider(contextFor(local('openai-compatible', openai.url))).invoke({
      prompt: 'explain x',
      cwd: '.',
      task: 'documentation',
    });
    expect(r).toMatchObject({
      status: 'ok',
      text: 'local says hi',
      provider: 'local',
      model: 'local-llm',
      usage: { input: 50, output: 10 },
    });
    const sent = openai.calls().at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body.model).toBe('qwen-test');
    expect(sent.body.messages.at(-1).content).toBe('explain x');
  });

  it('Ollama native: uses the ollama client against the configured host', async () => {
    const r = await createLocalProvider(contextFor(local('ollama', ollama.url))).invoke({
      prompt: 'explain y',
      cwd: '.',
      task: 'documentation',
    });
    expect(r).toMatchObject({ status: 'ok', text: 'ollama says hi', usage: { input: 40, output: 8 } });
    const sent = ollama.calls().at(-1)!;
    expect(sent.path).toBe('/api/chat');
    expect(sent.body.model).toBe('qwen-test');
    expect(sent.body.messages.at(-1).content).toBe('explain y');
  });

  it.each([
    ['rate_limit', 'rate_limited'],
    ['server_error', 'failed'],
    ['auth', 'auth'],
    ['garbage', 'invalid_output'],
    ['max_tokens', 'truncated'],
  ] as const)('OpenAI-compatible fault %s → %s', async (fault, status) => {
    openai.options.fault = fault;
    const r = await createLocalProvider(contextFor(local('openai-compatible', openai.url))).invoke({
      prompt: 'p',
      cwd: '.',
      task: 'documentation',
    });
    openai.options.fault = 'none';
    expect(r.status).toBe(status);
  });

  it('hang → timeout; endpoint down → unavailable', async () => {
    ollama.options.fault = 'hang';
    const hung = await createLocalProvider(contextFor(local('ollama', ollama.url))).invoke({
      prompt: 'p',
      cwd: '.',
      task: 'documentation',
      timeoutMs: 500,
    });
    ollama.options.fault = 'none';
    expect(hung.status).toBe('timeout');
    const down = await createLocalProvider(contextFor(local('openai-compatible', 'http://127.0.0.1:9'))).invoke({
      prompt: 'p',
      cwd: '.',
      task: 'documentation',
    });
    expect(down.status).toBe('unavailable');
  });

  it('refuses code generation on an unpinned local model', async () => {
    const before = openai.calls().length;
    const r = await createLocalProvider(contextFor(local('openai-compatible', openai.url))).invoke({
      prompt: 'write code',
      cwd: '.',
      task: 'implementation',
    });
    expect(r.status).toBe('unavailable');
    expect(r.error).toMatch(/not pinned/);
    expect(openai.calls().length).toBe(before);
  });

  it('an empty reply is no answer: invalid_output, not ok', async () => {
    const silent = await startOpenAiCompatibleFake({ reply: '' });
    const r = await createLocalProvider(contextFor(local('openai-compatible', silent.url))).invoke({
      prompt: 'explain x',
      cwd: '.',
      task: 'documentation',
    });
    await silent.close();
    expect(r).toMatchObject({ status: 'invalid_output', error: 'empty reply' });
  });

  it('runs the eval before code generation, records it, and uses the pinned id', async () => {
    const root = tempDir();
    const evalScript = join(root, 'eval.sh');
    writeFileSync(evalScript, '#!/bin/sh\necho "eval for $MM_LOCAL_MODEL"\nexit ${EVAL_EXIT:-0}\n');
    chmodSync(evalScript, 0o755);
    const pin = `[models.local_llm.pinning]\nmodel_id = "qwen-test@sha-123"\neval_suite = "${evalScript}"\n`;
    const failing = contextFor(local('openai-compatible', openai.url, pin), { root, env: { EVAL_EXIT: '3' } });
    const refused = await createLocalProvider(failing).invoke({
      prompt: 'write code',
      cwd: root,
      task: 'implementation',
    });
    expect(refused.status).toBe('unavailable');
    expect(refused.error).toMatch(/eval .* failed \(exit 3\)/);
    expect(JSON.parse(readFileSync(localEvalPath(root), 'utf8'))).toMatchObject({
      passed: false,
      model_id: 'qwen-test@sha-123',
    });

    const passing = contextFor(local('openai-compatible', openai.url, pin), { root });
    const ok = await createLocalProvider(passing).invoke({ prompt: 'write code', cwd: root, task: 'implementation' });
    expect(ok.status).toBe('ok');
    expect(openai.calls().at(-1)!.body.model).toBe('qwen-test@sha-123');
    const record = JSON.parse(readFileSync(localEvalPath(root), 'utf8'));
    expect(record).toMatchObject({ passed: true, exit_code: 0 });
    expect(record.output_tail).toContain('eval for qwen-test@sha-123');
    expect(existsSync(localEvalPath(root))).toBe(true);
  });
});
