import { describe, expect, it } from 'vitest';
import { registryEntrySchema } from '../../src/registry/entry-schema.ts';
import { builtinModels } from '../../src/registry/models.ts';
import { MmError } from '../../src/util/errors.ts';
import { configFrom, plain, templateWith } from '../helpers/config.ts';

describe('built-in registry', () => {
  it.each(builtinModels().map((m) => [m.id, m] as const))('%s is a valid, complete entry', (_id, entry) => {
    expect(registryEntrySchema.parse(entry)).toEqual(entry);
  });

  it('holds every model of the design capability matrix (§3.1)', () => {
    const ids = builtinModels().map((m) => m.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'claude-opus-4-6',
        'claude-sonnet-4-6',
        'claude-haiku-4-5',
        'gpt-5.3-codex',
        'gpt-5.3-codex-spark',
        'gpt-5.2',
        'gpt-5.2-mini',
        'gemini-3.1-pro',
        'gemini-3-flash',
        'nano-banana-pro',
        'nano-banana-2',
        'sora-2',
        'local-llm',
        'claude-teams',
      ]),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('splits the Codex coding line from the general line, and Gemini Pro from Flash', () => {
    const byId = Object.fromEntries(builtinModels().map((m) => [m.id, m]));
    expect([byId['gpt-5.3-codex']!.line, byId['gpt-5.3-codex-spark']!.line]).toEqual(['coding', 'coding']);
    expect([byId['gpt-5.2']!.line, byId['gpt-5.2-mini']!.line]).toEqual(['general', 'general']);
    expect([byId['gemini-3.1-pro']!.line, byId['gemini-3-flash']!.line]).toEqual(['pro', 'flash']);
  });

  it('every entry backed by a provider says when and where it was last verified', () => {
    const atProvider = builtinModels().filter((m) => m.integration !== 'local' && m.integration !== 'claude-teams');
    for (const m of atProvider) {
      expect(m.verified, m.id).toBeDefined();
      expect(m.verified!.source, m.id).toMatch(/^https:\/\//);
      expect(m.status, m.id).toBeDefined();
    }
  });

  it('sends the current Google ids: Nano Banana Pro and 2 are GA, Gemini 3 Pro Preview is gone', () => {
    const byId = Object.fromEntries(builtinModels().map((m) => [m.id, m]));
    expect(byId['nano-banana-pro']!.wire_model).toBe('gemini-3-pro-image');
    expect(byId['nano-banana-2']!.wire_model).toBe('gemini-3.1-flash-image');
    const wires = builtinModels().map((m) => m.wire_model ?? m.id);
    for (const gone of ['gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview', 'gemini-3-pro-preview'])
      expect(wires).not.toContain(gone);
  });

  it('aliases and former ids do not collide across models', () => {
    const seen = new Map<string, string>();
    for (const m of builtinModels())
      for (const name of [m.id, ...m.aliases, ...(m.former_ids ?? []).map((f) => f.id)]) {
        expect(seen.get(name), `${name} used by ${seen.get(name)} and ${m.id}`).toBeUndefined();
        seen.set(name, m.id);
      }
  });
});

describe('effective registry', () => {
  it('finds models by id or alias, case-insensitively', () => {
    const { registry } = plain();
    expect(registry.find('Opus')?.id).toBe('claude-opus-4-6');
    expect(registry.find('nbp')?.id).toBe('nano-banana-pro');
    expect(registry.find('nope')).toBeUndefined();
  });

  it('a retired provider id still resolves to the current entry, with its note', () => {
    const { registry } = plain();
    expect(registry.find('gemini-3-pro-image-preview')?.id).toBe('nano-banana-pro');
    expect(registry.find('gemini-3.1-flash-image-preview')?.id).toBe('nano-banana-2');
    expect(registry.find('gemini-3-pro-preview')?.id).toBe('gemini-3.1-pro');
    expect(registry.formerId('gemini-3-pro-preview')).toMatchObject({
      entry: { id: 'gemini-3.1-pro' },
      former: { gone_since: '2026-03-09' },
    });
    expect(registry.formerId('gemini-3.1-pro')).toBeUndefined();
  });

  it('an unknown model is a config error with a suggestion', () => {
    const { registry } = plain();
    const err = (() => {
      try {
        registry.get('gemini-3.1-pr', 'routing.tests.primary');
      } catch (e) {
        return e as MmError;
      }
    })();
    expect(err?.kind).toBe('config');
    expect(err?.message).toBe(
      'unknown model "gemini-3.1-pr" in routing.tests.primary (did you mean "gemini-3.1-pro"?)',
    );
  });

  it('enable flags come from [models]; Claude is always enabled', () => {
    const off = plain().registry;
    expect(off.isEnabled(off.get('claude-sonnet-4-6'))).toBe(true);
    expect(off.isEnabled(off.get('gpt-5.3-codex'))).toBe(false);
    const on = templateWith().registry;
    expect(on.isEnabled(on.get('gpt-5.3-codex'))).toBe(true);
    expect(on.isEnabled(on.get('local-llm'))).toBe(false);
  });

  it('applies config to built-ins: CLI commands and the local endpoint', () => {
    const { registry } = configFrom(
      '[models.gemini]\ncommand = "agy"\n[models.local_llm]\nendpoint = "http://127.0.0.1:1234/v1"\napi = "openai-compatible"\nmodel = "llama3"\n',
    );
    expect(registry.get('gemini-3-flash').access.command).toBe('agy');
    expect(registry.get('local').access).toMatchObject({
      kind: 'openai-compatible',
      endpoint: 'http://127.0.0.1:1234/v1',
    });
    expect(registry.get('local').wire_model).toBe('llama3');
  });

  it('adds user models from [[registry.models]] without code changes', () => {
    const { registry } = configFrom(
      '[[registry.models]]\nid = "deepseek-v3"\nprovider = "openai-compatible"\nendpoint = "https://openrouter.example/api/v1"\nmodel = "deepseek/deepseek-chat"\napi_key_env = "OPENROUTER_API_KEY"\ncontext_in = 128000\ncost_tier = "$"\nprice_in_per_mtok = 0.27\nprice_out_per_mtok = 1.1\n',
    );
    const m = registry.get('deepseek-v3');
    expect(m).toMatchObject({
      integration: 'custom',
      wire_model: 'deepseek/deepseek-chat',
      cost_tier: '$',
      context_in: 128000,
    });
    expect(m.access).toEqual({
      kind: 'openai-compatible',
      command: undefined,
      endpoint: 'https://openrouter.example/api/v1',
      key_env: ['OPENROUTER_API_KEY'],
    });
    expect(m.prices).toEqual({ input_per_mtok: 0.27, output_per_mtok: 1.1 });
    expect(registry.isEnabled(m)).toBe(true);
    const disabled = configFrom('[[registry.models]]\nid = "x"\nprovider = "ollama"\nenabled = false\n').registry;
    expect(disabled.isEnabled(disabled.get('x'))).toBe(false);
  });
});
