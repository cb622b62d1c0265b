import { describe, expect, it } from 'vitest';
import { notReady, readinessItems, type ReadinessInputs } from '../../src/doctor/readiness.ts';
import type { AccessStatus } from '../../src/registry/access.ts';
import type { LiveView } from '../../src/registry/live-view.ts';
import { templateWith } from '../helpers/config.ts';

const NO_LIVE: LiveView = { cache: null, findings: [], ageDays: null };

function inputs(
  overrides: Record<string, unknown>,
  present: (id: string) => boolean = () => true,
  live: LiveView = NO_LIVE,
): ReadinessInputs {
  const { config, registry } = templateWith({ 'models.sora_enabled': false, ...overrides });
  const access = new Map<string, AccessStatus>(
    registry.entries.map((e) => [
      e.id,
      present(e.id)
        ? { present: true, detail: `${e.id} found` }
        : { present: false, detail: 'missing', fix: `install ${e.id}` },
    ]),
  );
  return { config, registry, access, live, claudeAccess: () => ({ via: 'api', usable: true, detail: 'API key' }) };
}

const item = (items: ReturnType<typeof readinessItems>, name: string) => items.find((i) => i.integration === name);

describe('doctor readiness rules', () => {
  it('everything enabled and present: ready', () => {
    expect(notReady(readinessItems(inputs({})))).toEqual([]);
  });

  it('an enabled model its vendor shut down is not ready; with no successor the fix is to turn it off', () => {
    const sora = item(readinessItems(inputs({ 'models.sora_enabled': true })), 'sora-2')!;
    expect(sora).toMatchObject({ ok: false, fix: 'turn it off (sora_enabled = false): there is no successor' });
    expect(sora.detail).toMatch(/shut down by OpenAI/);
  });

  it('an enabled integration whose access path is missing is not ready, with its fix', () => {
    const items = readinessItems(inputs({}, (id) => !id.startsWith('gpt-')));
    const codex = item(items, 'codex')!;
    expect(codex).toMatchObject({ enabled: true, ok: false, detail: 'missing' });
    expect(codex.fix).toMatch(/^install gpt-/);
    expect(notReady(items).map((i) => i.integration)).toEqual(['codex']);
  });

  it('a disabled integration is ready whatever is missing, and says which flag turns it on', () => {
    const items = readinessItems(inputs({ 'models.codex_enabled': false }, () => false));
    expect(item(items, 'codex')).toMatchObject({
      enabled: false,
      ok: true,
      fix: 'set codex_enabled = true in [models]',
    });
  });

  it('headless Claude without a way in: ready (Claude Code is there) but says how to fix headless calls', () => {
    const i = inputs({});
    i.claudeAccess = () => ({ via: 'api', usable: false, detail: 'no key' });
    const claude = item(readinessItems(i), 'claude')!;
    expect(claude.ok).toBe(true);
    expect(claude.detail).toMatch(/headless: no key$/);
    expect(claude.fix).toMatch(/ANTHROPIC_API_KEY/);
  });

  it('an enabled local model with no pin is not ready; a remote endpoint is refused unless allowed', () => {
    const base = { 'models.local_llm_enabled': true };
    const { config } = templateWith(base);
    const remote = {
      ...config.models.local_llm,
      endpoint: 'http://10.0.0.5:11434',
      pinning: { ...config.models.local_llm.pinning, model_id: '' },
    };
    const refused = readinessItems(inputs({ ...base, 'models.local_llm': remote }));
    expect(item(refused, 'local (code generation)')).toMatchObject({ ok: false, detail: 'local model not pinned' });
    expect(item(refused, 'local (privacy)')).toMatchObject({ ok: false });
    expect(item(refused, 'local (privacy)')!.detail).toMatch(/not on this machine/);
    const allowed = readinessItems(
      inputs({
        ...base,
        'models.local_llm': {
          ...remote,
          allow_remote_endpoint: true,
          pinning: { ...remote.pinning, model_id: 'qwen' },
        },
      }),
    );
    expect(item(allowed, 'local (privacy)')).toMatchObject({ ok: true, fix: undefined });
    expect(item(allowed, 'local (code generation)')).toBeUndefined();
  });

  it('a live check that is old or unreadable is a warning, never "not ready"', () => {
    const old: LiveView = {
      cache: { version: 1, checked_at: '2026-01-01T00:00:00Z', lists: [], skipped: [] },
      findings: [],
      ageDays: 90,
    };
    const items = readinessItems(inputs({}, () => true, old));
    expect(item(items, 'live check')).toMatchObject({ ok: true, warning: true, fix: 'mm models refresh' });
    const broken = readinessItems(inputs({}, () => true, { ...NO_LIVE, problem: 'cache unreadable' }));
    expect(item(broken, 'live check')).toMatchObject({ ok: true, warning: true, detail: 'cache unreadable' });
    expect(notReady(items)).toEqual([]);
  });

  it('an enabled model the provider no longer lists is not ready, with the suggested replacement', () => {
    const i = inputs({});
    const id = i.registry.entries.find((e) => e.integration === 'gemini' && i.registry.isEnabled(e))!.id;
    i.live = {
      cache: { version: 1, checked_at: '2026-11-30T00:00:00Z', lists: [], skipped: [] },
      findings: [{ model: id, wire: id, at: 'Gemini API', listed: false, suggestion: 'gemini-next' } as never],
      ageDays: 1,
    };
    const gone = item(readinessItems(i), id)!;
    expect(gone).toMatchObject({ ok: false });
    expect(gone.fix).toMatch(/^use gemini-next/);
  });
});
