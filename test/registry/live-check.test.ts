import { describe, expect, it } from 'vitest';
import { compareWithLists, configWarnings, isListed, suggestReplacement } from '../../src/registry/live-check.ts';
import type { LiveList } from '../../src/registry/live-lists.ts';
import { listSources } from '../../src/registry/live-lists.ts';
import { configFrom, plain, templateWith } from '../helpers/config.ts';

const google = (ids: string[], models: string[]): LiveList => ({
  key: 'google',
  provider: 'google',
  at: 'Google',
  endpoint: 'https://generativelanguage.googleapis.com',
  models,
  ok: true,
  ids,
});

describe('live model lists against the registry', () => {
  it('a dated snapshot or an implicit :latest tag counts as listed', () => {
    expect(isListed('claude-haiku-4-5', ['claude-haiku-4-5-20251001'])).toBe(true);
    expect(isListed('llama3', ['llama3:latest'])).toBe(true);
    expect(isListed('claude-haiku-4', ['claude-haiku-4-5-20251001'])).toBe(false);
    expect(isListed('gemini-3-pro-image-preview', ['gemini-3-pro-image'])).toBe(false);
  });

  it('suggests the GA name for a retired preview, the registry’s current id for a former one', () => {
    const { registry } = plain();
    const ids = ['gemini-3-pro-image', 'gemini-3.1-pro-preview', 'gemini-3.6-flash'];
    expect(suggestReplacement(undefined, 'gemini-3-pro-image-preview', ids, registry)).toBe('gemini-3-pro-image');
    expect(suggestReplacement(undefined, 'gemini-3-pro-preview', ids, registry)).toBe('gemini-3.1-pro-preview');
    const flash = registry.find('gemini-3-flash')!;
    expect(suggestReplacement(flash, 'gemini-3-flash-preview', ids, registry)).toBe('gemini-3.6-flash');
    expect(suggestReplacement(undefined, 'something-else', ids, registry)).toBeUndefined();
  });

  it('reports each model a list was asked about; a failed list reports nothing', () => {
    const { registry, config } = templateWith();
    const findings = compareWithLists(registry, config, [
      google(['gemini-3.1-pro-preview'], ['gemini-3.1-pro', 'nano-banana-pro']),
      { ...google([], ['gemini-3-flash']), key: 'x', ok: false, errorKind: 'unavailable', error: 'down' },
    ]);
    expect(findings).toEqual([
      { model: 'gemini-3.1-pro', wire: 'gemini-3.1-pro-preview', at: 'Google', listed: true },
      { model: 'nano-banana-pro', wire: 'gemini-3-pro-image', at: 'Google', listed: false, suggestion: undefined },
    ]);
  });

  it('a slug missing from the Codex CLI catalog is explained as fallback metadata, not as gone', () => {
    const { registry, config } = templateWith();
    const [finding] = compareWithLists(registry, config, [
      { ...google(['gpt-5.5'], ['gpt-5.3-codex']), key: 'codex-cli', provider: 'codex-cli', at: 'the Codex CLI' },
    ]);
    expect(finding).toMatchObject({ model: 'gpt-5.3-codex', listed: false });
    expect(finding!.note).toMatch(/fallback metadata/);
  });

  it('asks only enabled integrations that have credentials', () => {
    const { registry, config } = templateWith();
    // The Codex CLI's catalog needs no key; the APIs do.
    const none = listSources(config, registry, {});
    expect(none.sources.map((s) => s.key)).toEqual(['codex-cli']);
    expect(none.skipped.map((s) => s.provider)).toEqual(['anthropic', 'openai', 'google']);
    const keyed = listSources(config, registry, { GEMINI_API_KEY: 'g', OPENAI_API_KEY: 'o' });
    expect(keyed.sources.map((s) => [s.key, s.models])).toEqual([
      ['codex-cli', ['gpt-5.3-codex', 'gpt-5.3-codex-spark', 'gpt-5.2', 'gpt-5.2-mini']],
      ['openai', ['gpt-5.3-codex', 'gpt-5.3-codex-spark', 'gpt-5.2', 'gpt-5.2-mini', 'sora-2']],
      ['google', ['gemini-3.1-pro', 'gemini-3-flash', 'nano-banana-pro', 'nano-banana-2']],
    ]);
  });

  it('config values naming a retired id or a shut-down model are warned about', () => {
    const { registry, config } = configFrom(
      '[models]\nsora_enabled = true\n[models.gemini]\nfast_model = "gemini-3-pro-preview"\n',
    );
    expect(configWarnings(config, registry).map((w) => w.key)).toEqual([
      'models.defaults.video_generation',
      'models.gemini.fast_model',
    ]);
  });
});
