/**
 * A gone model is its own answer: the REAL codex and gemini CLIs, the Anthropic SDK and
 * the local APIs against fakes that know only some models and answer the rest with the
 * provider's real 404 → status "model_not_found", explained, never "failed" or "auth".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGeminiClient } from '../../src/assets/gemini-client.ts';
import { createVideoClient } from '../../src/assets/video-client.ts';
import { createClaudeProvider } from '../../src/providers/claude.ts';
import { createCodexProvider } from '../../src/providers/codex.ts';
import { createGeminiProvider } from '../../src/providers/gemini.ts';
import { invokeModel } from '../../src/providers/index.ts';
import { createLocalProvider } from '../../src/providers/local.ts';
import { isModelGone, modelGoneMessage } from '../../src/providers/model-gone.ts';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-server.ts';
import { codexEnv, openAiModelNotFound, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import {
  geminiEnv,
  geminiModelNotFound,
  geminiModelOf,
  startGeminiFake,
  type GeminiFake,
} from '../fakes/gemini-server.ts';
import { startOllamaFake, startOpenAiCompatibleFake, type LocalFake } from '../fakes/local-servers.ts';
import { sendJson, startRecordingServer } from '../fakes/server.ts';
import { CODEX_BIN, contextFor, GEMINI_BIN } from '../helpers/invoke-context.ts';
import { MmError } from '../../src/util/errors.ts';
import { plain } from '../helpers/config.ts';

describe('isModelGone: the providers’ real wordings', () => {
  it.each([
    ['OpenAI / Codex', JSON.stringify(openAiModelNotFound('gpt-9'))],
    ['Codex turn.failed', 'The model `gpt-9` does not exist or you do not have access to it.'],
    ['Gemini API 404', JSON.stringify(geminiModelNotFound('gemini-3-pro-image-preview'))],
    [
      'gemini-cli 0.61 stderr',
      'Error when talking to Gemini API Full report available at: /tmp/x.json ModelNotFoundError: {}',
    ],
    ['Anthropic 404', '404 {"type":"error","error":{"type":"not_found_error","message":"model: claude-3-opus"}}'],
    ['Ollama 404', 'model "qwen-test" not found, try pulling it first'],
    ['a retirement notice', 'The model gemini-2.0-flash has been deprecated and is no longer available'],
  ])('%s → gone', (_name, text) => expect(isModelGone(text)).toBe(true));

  it.each([
    ['a rate limit', '429 Too Many Requests: quota exceeded for model gemini-3.1-pro-preview'],
    ['a bad key', '401 Incorrect API key provided'],
    ['a missing file', 'ENOENT: no such file or directory, open "model.json"; file not found'],
    ['a missing route', '{"error":{"message":"not found"}}'],
  ])('%s → not gone', (_name, text) => expect(isModelGone(text)).toBe(false));

  it('explains itself, naming the current id when the registry knows the old one', () => {
    const { registry } = plain();
    expect(modelGoneMessage({ wireModel: 'gemini-3-pro-image-preview', at: 'Google', registry })).toBe(
      "gemini-3-pro-image-preview no longer exists at Google (mm's registry: Google retired the preview id; the GA name gemini-3-pro-image (GA 2026-05-28) replaces it; use nano-banana-pro = gemini-3-pro-image); `mm models refresh` lists what does",
    );
  });
});

describe('the real CLIs on a model the provider no longer has', () => {
  let codex: CodexFake;
  let gemini: GeminiFake;
  let home: string;
  beforeAll(async () => {
    codex = await startCodexFake({ knownModels: ['gpt-5.3-codex'] });
    gemini = await startGeminiFake({ knownModels: ['gemini-3.1-pro-preview', 'gemini-3-pro-image'] });
    home = mkdtempSync(join(tmpdir(), 'mm-gone-'));
  });
  afterAll(async () => {
    await codex.close();
    await gemini.close();
  });

  it('codex: 404 model_not_found → model_not_found, explained', async () => {
    const ctx = contextFor(`[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n`, {
      env: { ...process.env, ...codexEnv(codex, home) },
    });
    const r = await createCodexProvider(ctx).invoke({ prompt: 'p', cwd: home, task: 'code_review', timeoutMs: 30_000 });
    expect(codex.calls().at(-1)!.body.model).toBe('gpt-5.2');
    expect(r.status).toBe('model_not_found');
    expect(r.error).toMatch(/^gpt-5\.2 no longer exists at OpenAI; `mm models refresh` lists what does/);
    expect(r.error).toContain('does not exist or you do not have access to it');
  });

  it('gemini: the CLI’s ModelNotFoundError (exit 1) → model_not_found, explained', async () => {
    const ctx = contextFor(`[models]\ngemini_enabled = true\n[models.gemini]\ncommand = "${GEMINI_BIN}"\n`, {
      env: { ...process.env, ...geminiEnv(gemini, home) },
    });
    const r = await createGeminiProvider(ctx).invoke({
      prompt: 'p',
      cwd: home,
      task: 'plan_review',
      model: 'gemini-3-flash',
      timeoutMs: 60_000,
    });
    expect(geminiModelOf(gemini.calls().at(-1)!)).toBe('gemini-3-flash-preview');
    expect(r.status).toBe('model_not_found');
    expect(r.error).toMatch(/^gemini-3-flash-preview no longer exists at Google; `mm models refresh` lists what does/);
  });

  it('gemini: an old id still resolves to its current entry and answers', async () => {
    const ctx = contextFor(`[models]\ngemini_enabled = true\n[models.gemini]\ncommand = "${GEMINI_BIN}"\n`, {
      env: { ...process.env, ...geminiEnv(gemini, home) },
    });
    const r = await createGeminiProvider(ctx).invoke({
      prompt: 'p',
      cwd: home,
      task: 'plan_review',
      model: 'gemini-3-pro-preview',
      timeoutMs: 60_000,
    });
    expect(r.status).toBe('ok');
    expect(r.model).toBe('gemini-3.1-pro');
    expect(geminiModelOf(gemini.calls().at(-1)!)).toBe('gemini-3.1-pro-preview');
  });

  it('a checkpoint (fallback: false) reports it; mm ask walks on to the next model', async () => {
    const anthropic = await startAnthropicFake({ reply: 'claude answers' });
    try {
      const ctx = contextFor(`[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n`, {
        env: { ...process.env, ...codexEnv(codex, home), ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: anthropic.url },
      });
      const request = { prompt: 'p', cwd: home, task: 'code_review', timeoutMs: 30_000 };
      const checkpoint = await invokeModel('codex', { ...request, fallback: false }, ctx);
      expect(checkpoint.status).toBe('model_not_found');
      expect(checkpoint.attempts.map((a) => a.status)).toEqual(['model_not_found']);
      const ask = await invokeModel('codex', request, ctx);
      expect(ask.status).toBe('ok');
      expect(ask.attempts[0]).toMatchObject({ model: 'gpt-5.2', status: 'model_not_found' });
    } finally {
      await anthropic.close();
    }
  });
});

describe('SDK and local APIs on a model the provider no longer has', () => {
  let anthropic: AnthropicFake;
  let ollama: LocalFake;
  let compat: LocalFake;
  beforeAll(async () => {
    anthropic = await startAnthropicFake({ knownModels: ['claude-sonnet-4-6'] });
    ollama = await startOllamaFake({ knownModels: ['llama3:latest'] });
    compat = await startOpenAiCompatibleFake({ knownModels: ['llama3'] });
  });
  afterAll(async () => {
    await anthropic.close();
    await ollama.close();
    await compat.close();
  });

  it('Anthropic SDK: 404 not_found_error → model_not_found', async () => {
    const ctx = contextFor('', { env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: anthropic.url } });
    const r = await createClaudeProvider(ctx).invoke({ prompt: 'p', cwd: '.', task: 'x', model: 'claude-opus-4-6' });
    expect(r.status).toBe('model_not_found');
    expect(r.error).toMatch(/^claude-opus-4-6 no longer exists at Anthropic; `mm models refresh` lists what does/);
  });

  it.each(['ollama', 'openai-compatible'] as const)('%s: 404 for the model → model_not_found', async (api) => {
    const url = api === 'ollama' ? ollama.url : compat.url;
    const ctx = contextFor(
      `[models]\nlocal_llm_enabled = true\n[models.local_llm]\napi = "${api}"\nendpoint = "${url}"\nmodel = "qwen-test"\n`,
    );
    const r = await createLocalProvider(ctx).invoke({ prompt: 'p', cwd: '.', task: 'documentation' });
    expect(r.status).toBe('model_not_found');
    expect(r.error).toContain(`qwen-test no longer exists at ${url}`);
    if (api === 'ollama') expect(r.error).toContain('ollama pull qwen-test');
  });
});

describe('the SDKs’ own error objects on a gone model', () => {
  it('openai SDK (Sora videos API): 404 model_not_found → MmError model_not_found, explained', async () => {
    const server = await startRecordingServer((_req, res) => sendJson(res, 404, openAiModelNotFound('sora-2')));
    try {
      const client = createVideoClient({ env: { OPENAI_API_KEY: 'k' }, baseUrl: `${server.url}/v1`, timeoutMs: 5000 });
      const err = await client.create({ model: 'sora-2', prompt: 'p' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MmError);
      expect(err).toMatchObject({ kind: 'model_not_found' });
      expect((err as Error).message).toMatch(
        /^sora-2 no longer exists at OpenAI; `mm models refresh` lists what does \[HTTP 404: /,
      );
    } finally {
      await server.close();
    }
  });

  it('@google/genai: 404 NOT_FOUND → MmError model_not_found', async () => {
    const server = await startRecordingServer((req, res) =>
      sendJson(res, 404, geminiModelNotFound(/models\/([^:]+):/.exec(req.path)?.[1] ?? '')),
    );
    try {
      const client = createGeminiClient({ env: { GEMINI_API_KEY: 'k' }, baseUrl: server.url, timeoutMs: 5000 });
      const err = await client
        .generate({ model: 'gemini-3-pro-image-preview', parts: [{ text: 'p' }], modalities: ['IMAGE'] })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'model_not_found' });
      expect((err as Error).message).toMatch(/^gemini-3-pro-image-preview no longer exists at Google/);
    } finally {
      await server.close();
    }
  });
});
