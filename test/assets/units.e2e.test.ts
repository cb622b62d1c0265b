import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it, afterAll } from 'vitest';
import { extractFiles } from '../../src/assets/code-blocks.ts';
import { estimateCost } from '../../src/assets/cost.ts';
import { generateImage, imageModelChain } from '../../src/assets/image.ts';
import { toMmError } from '../../src/assets/sdk-errors.ts';
import type { AssetUsageEntry } from '../../src/assets/services.ts';
import { parseBatch } from '../../src/assets/batch.ts';
import { configSchema, DEFAULT_ROUTING } from '../../src/config/schema.ts';
import { buildRegistry } from '../../src/registry/registry.ts';
import { MmError } from '../../src/util/errors.ts';
import { tinyPng } from './fakes/png.ts';
import { cleanupProjects, project } from './helpers.ts';

afterAll(cleanupProjects);

function configWith(models: Record<string, unknown>) {
  const config = configSchema.parse({ models });
  config.routing = structuredClone(DEFAULT_ROUTING);
  return { config, registry: buildRegistry(config) };
}

describe('extractFiles', () => {
  it('reads paths from the fence, or a first-line comment, and names the rest', () => {
    const reply = [
      '```tsx file=src/A.tsx',
      'a',
      '```',
      '```css',
      '/* file: src/a.css */',
      '.a{}',
      '```',
      '```tsx',
      'loose',
      '```',
    ].join('\n');
    const { files, refused } = extractFiles(reply);
    expect(refused).toEqual([]);
    expect(files).toEqual([
      { path: 'src/A.tsx', content: 'a\n', lang: 'tsx' },
      { path: 'src/a.css', content: '.a{}\n', lang: 'css' },
      { path: 'snippet-1.tsx', content: 'loose\n', lang: 'tsx' },
    ]);
  });

  it('refuses absolute, parent and .git paths', () => {
    const block = (p: string) => ['```ts file=' + p, 'x', '```'].join('\n');
    const { files, refused } = extractFiles(
      [
        block('/etc/passwd'),
        block('a/../../b.ts'),
        block('.git/hooks/pre-commit'),
        block('C:\\x.ts'),
        block('./ok.ts'),
      ].join('\n'),
    );
    expect(files.map((f) => f.path)).toEqual(['ok.ts']);
    expect(refused.map((r) => r.reason)).toEqual(['absolute path', 'contains ".."', 'inside .git', 'absolute path']);
  });
});

describe('parseBatch', () => {
  it('takes plain lines and JSONL, skipping blanks and comments', () => {
    expect(parseBatch('one\n\n# skip\n{"prompt":"two","name":"n2","resolution":"4K"}\n', 'b.txt')).toEqual([
      { line: 1, prompt: 'one' },
      { line: 4, prompt: 'two', name: 'n2', resolution: '4K' },
    ]);
  });
  it('names the line of a bad entry', () => {
    expect(() => parseBatch('ok\n{"prompt": 3}\n', 'b.txt')).toThrow('b.txt:2: "prompt" must be a non-empty string');
    expect(() => parseBatch('{"prompt":"x","resolution":"8K"}', 'b.txt')).toThrow(/b.txt:1: "resolution"/);
    expect(() => parseBatch('\n# nothing\n', 'b.txt')).toThrow(/no prompts/);
  });
});

describe('estimateCost', () => {
  const { registry } = configWith({});
  it('prices images by resolution, video by the second, tokens by the million', () => {
    expect(estimateCost(registry.get('nano-banana-pro'), { resolution: '4K' })).toBe(0.24);
    expect(estimateCost(registry.get('nano-banana-pro'), {})).toBe(0.134);
    expect(estimateCost(registry.get('sora-2'), { seconds: 12 })).toBe(1.2);
    expect(estimateCost(registry.get('gemini-3.1-pro'), { inputTokens: 1_000_000, outputTokens: 100_000 })).toBe(3.2);
    expect(estimateCost(registry.get('gemini-3.1-pro'), {})).toBeNull();
  });
});

describe('toMmError', () => {
  it('maps SDK errors to exit-code kinds', () => {
    const kind = (e: unknown) => toMmError(e, 'x').kind;
    expect(kind({ status: 401, message: 'no' })).toBe('auth');
    const geminiBadKey = {
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [{ reason: 'API_KEY_INVALID' }],
      },
    };
    expect(kind({ name: 'ApiError', status: 400, message: JSON.stringify(geminiBadKey) })).toBe('auth');
    expect(kind({ status: 400, message: 'bad aspect ratio' })).toBe('input');
    expect(kind({ status: 429, message: 'slow down' })).toBe('rate_limited');
    expect(kind({ status: 504, message: 'gateway' })).toBe('timeout');
    expect(kind({ name: 'APIConnectionError', message: 'Connection error.', cause: { code: 'ECONNREFUSED' } })).toBe(
      'unavailable',
    );
    expect(kind({ status: 500, message: 'boom' })).toBe('failed');
    expect(kind(new MmError('budget', 'over'))).toBe('budget');
  });
});

describe('image model chain (route() decides)', () => {
  it('preferred model, then the routing fallbacks that can make images, never Claude', () => {
    const { config, registry } = configWith({ nano_banana_enabled: true, gemini_enabled: true });
    expect(imageModelChain({}, config, registry).map((e) => e.id)).toEqual(['nano-banana-pro', 'gemini-3.1-pro']);
    expect(imageModelChain({ model: 'gemini' }, config, registry).map((e) => e.id)).toEqual(['gemini-3.1-pro']);
  });
  it('respects models.defaults.image_generation and disabled integrations', () => {
    const { config, registry } = configWith({ gemini_enabled: true, defaults: { image_generation: 'gemini-3.1-pro' } });
    expect(imageModelChain({}, config, registry).map((e) => e.id)).toEqual(['gemini-3.1-pro']);
  });
  it('refuses a model that cannot make images', () => {
    const { config, registry } = configWith({ codex_enabled: true });
    expect(() => imageModelChain({ model: 'codex' }, config, registry)).toThrow(/cannot generate images/);
  });

  it('guards the prompt before sending, stores the guarded prompt, and writes the ledger entries', async () => {
    const { config, registry } = configWith({ nano_banana_enabled: true, gemini_enabled: true });
    const root = project('');
    const sent: string[] = [];
    const usage: AssetUsageEntry[] = [];
    let calls = 0;
    const out = await generateImage(
      { prompt: 'logo for sk-live-123', stem: 'logo' },
      {
        projectRoot: root,
        config,
        registry,
        services: {
          recordUsage: (e) => usage.push(e),
          guardPrompt: (t) => ({ text: t.replace(/sk-\S+/, '[REDACTED]'), withheld: ['api key'] }),
          guardFiles: (kept) => ({ kept, withheld: [] }),
          checkBudget: () => {},
        },
        gemini: {
          generate: async (r) => {
            sent.push((r.parts[0] as { text: string }).text);
            if (calls++ === 0) throw new MmError('timeout', 'slow');
            return {
              images: [{ mimeType: 'image/png', bytes: tinyPng() }],
              text: '',
              requestId: 'q',
              modelVersion: null,
              finishReason: 'STOP',
            };
          },
        },
      },
    );
    expect(sent).toEqual(['logo for [REDACTED]', 'logo for [REDACTED]']);
    expect(readFileSync(out.stored.promptPath!, 'utf8')).toBe('logo for [REDACTED]');
    expect(out.stored.meta.withheld).toEqual(['api key']);
    expect(out.stored.meta.fallback).toEqual({
      from: 'nano-banana-pro',
      failures: [{ model: 'nano-banana-pro', error: 'slow' }],
    });
    expect(usage.map((u) => [u.model, u.status])).toEqual([
      ['nano-banana-pro', 'timeout'],
      ['gemini-3.1-pro', 'ok'],
    ]);
  });
});

describe('cold start', () => {
  it('the entry bundle does not contain the creative SDKs (they load lazily)', () => {
    const dist = new URL('../../dist/', import.meta.url);
    const entry = readFileSync(new URL('mm.js', dist), 'utf8');
    expect(entry).not.toMatch(/GoogleGenAI|generativelanguage\.googleapis|api\.openai\.com/);
    // …but a lazily loaded chunk does, so the commands still work when bundled.
    const chunks = readdirSync(new URL('cold/chunks/', dist)).filter((f) => f.endsWith('.mjs'));
    expect(
      chunks.some((c) =>
        readFileSync(new URL(`cold/chunks/${c}`, dist), 'utf8').includes('generativelanguage.googleapis'),
      ),
    ).toBe(true);
  });
});
