import { describe, expect, it } from 'vitest';
import { inferCategory } from '../../src/policy/categories.ts';
import { route, type RouteInput } from '../../src/policy/route.ts';
import { plain, templateWith } from '../helpers/config.ts';

const on = (overrides: Record<string, unknown> = {}) => templateWith(overrides);
const decide = (input: RouteInput, overrides: Record<string, unknown> = {}) => {
  const { config, registry } = on(overrides);
  return route(input, config, registry);
};

describe('no config file: plain Claude Code', () => {
  it.each<RouteInput>([
    { category: 'review', filesChanged: 40, security: true },
    { category: 'image', resolution: '4K' },
    { category: 'video' },
    { category: 'svg', complex: true },
    { category: 'research', contextTokens: 900_000 },
    { category: 'debug', debugCycles: 5, artifacts: ['trace.txt'] },
    { category: 'privacy' },
  ])('routes %o to Claude with no checkpoint', (input) => {
    const { config, registry } = plain();
    const d = route(input, config, registry);
    expect(d.provider).toBe('claude');
    expect(d.checkpoint).toBeNull();
    expect(d.fallbacks).toEqual([]);
  });
});

describe('privacy', () => {
  it('stays with Claude when no local model is enabled, and says nothing leaves', () => {
    const d = decide({ task: 'refactor the billing module', privacy: true });
    expect(d).toMatchObject({ model: 'claude-sonnet-4-6', provider: 'claude', checkpoint: null });
    expect(d.reasons.join('\n')).toMatch(/Claude only, no external model/);
  });

  it('keeps code generation off an unpinned local model', () => {
    const d = decide({ category: 'implementation', privacy: true }, { 'models.local_llm_enabled': true });
    expect(d.provider).toBe('claude');
    expect(d.reasons.join('\n')).toContain('not pinned');
  });

  it('uses a pinned local model, with only Claude as fallback', () => {
    const d = decide(
      { category: 'implementation', privacy: true },
      { 'models.local_llm_enabled': true, 'models.local_llm.pinning': { model_id: 'qwen2.5-coder:32b@sha256:abc' } },
    );
    expect(d).toMatchObject({ model: 'local-llm', provider: 'local', fallbacks: ['claude-sonnet-4-6'] });
  });

  it('uses an unpinned local model for non-code work', () => {
    expect(decide({ category: 'privacy' }, { 'models.local_llm_enabled': true }).provider).toBe('local');
  });

  it('always_local tasks are private even without --privacy', () => {
    const d = decide(
      { task: 'a security pass over the deploy config' },
      { 'models.local_llm_enabled': true, 'models.local_llm.always_local': ['security'] },
    );
    expect(d.provider).toBe('local');
    expect(d.reasons.join('\n')).toContain('always_local');
  });

  it('an explicit request for an external model does not override privacy', () => {
    const d = decide({ category: 'review', privacy: true, with: 'codex' });
    expect(d.provider).toBe('claude');
    expect(d.reasons.join('\n')).toContain('not honoured');
  });
});

describe('explicit request (Pattern C)', () => {
  it('honours --with without a config check, picking the line that fits the task', () => {
    const { config, registry } = plain();
    expect(route({ category: 'implementation', with: 'codex' }, config, registry).model).toBe('gpt-5.3-codex');
    expect(route({ category: 'review', with: 'codex' }, config, registry).model).toBe('gpt-5.2');
    expect(route({ category: 'review', with: 'gemini' }, config, registry).model).toBe('gemini-3.1-pro');
    expect(route({ category: 'review', with: 'gemini-3-flash' }, config, registry)).toMatchObject({
      model: 'gemini-3-flash',
      checkpoint: null,
    });
  });

  it('an unknown --with names the problem', () => {
    const { config, registry } = plain();
    expect(() => route({ with: 'gpt-9' }, config, registry)).toThrow(/unknown model "gpt-9" in --with/);
  });
});

describe('creative', () => {
  it('4K images go to Nano Banana Pro', () => {
    const d = decide({ category: 'image', resolution: '4K' }, { 'models.defaults.image_generation': 'gemini-3.1-pro' });
    expect(d).toMatchObject({
      model: 'nano-banana-pro',
      checkpoint: { name: 'creative_model_selection', mode: 'ask' },
    });
  });

  it('other images follow models.defaults.image_generation, then fall back to the next image model', () => {
    expect(decide({ category: 'image' }, { 'models.defaults.image_generation': 'gemini-3.1-pro' }).model).toBe(
      'gemini-3.1-pro',
    );
    const fallback = decide({ category: 'image' }, { 'models.nano_banana_enabled': false });
    expect(fallback.model).toBe('gemini-3.1-pro');
    expect(fallback.reasons.join('\n')).toContain('nano-banana-pro is disabled (nano_banana_enabled = false)');
    const d = decide({ category: 'image' });
    expect(d.model).toBe('nano-banana-pro');
    expect(d.fallbacks).toEqual(['gemini-3.1-pro', 'claude-sonnet-4-6']);
  });

  it('no image model enabled → Claude describes it', () => {
    const d = decide({ category: 'image' }, { 'models.nano_banana_enabled': false, 'models.gemini_enabled': false });
    expect(d.provider).toBe('claude');
  });

  it('simple SVG stays with Claude; complex SVG goes to Gemini when enabled', () => {
    expect(decide({ category: 'svg' }).provider).toBe('claude');
    expect(decide({ category: 'svg', complex: true })).toMatchObject({
      model: 'gemini-3.1-pro',
      checkpoint: { name: 'creative_model_selection' },
    });
    expect(decide({ category: 'svg', complex: true }, { 'models.gemini_enabled': false }).provider).toBe('claude');
  });

  it('video goes to Sora 2, or stays with Claude when Sora is off', () => {
    expect(decide({ task: 'make a 10 second demo video' }).model).toBe('sora-2');
    expect(decide({ category: 'video' }, { 'models.sora_enabled': false }).provider).toBe('claude');
  });

  it('a creative checkpoint set to auto is reported as auto', () => {
    expect(decide({ category: 'video' }, { 'checkpoints.creative_model_selection': 'auto' }).checkpoint?.mode).toBe(
      'auto',
    );
  });
});

describe('review', () => {
  it('below the thresholds stays with Claude', () => {
    const d = decide({ category: 'review', filesChanged: 10 });
    expect(d).toMatchObject({ provider: 'claude', model: 'claude-sonnet-4-6', checkpoint: null });
  });

  it('more files than files_changed_suggest_review → suggest the reviewer `mm review diff` runs (Gemini Pro)', () => {
    const d = decide({ category: 'review', filesChanged: 11 });
    expect(d).toMatchObject({
      model: 'gemini-3.1-pro',
      provider: 'gemini',
      checkpoint: { name: 'pr_cross_review', mode: 'ask' },
    });
    expect(d.reasons.join('\n')).toContain('11 files changed (> 10)');
    expect(d.fallbacks).toEqual(['gpt-5.2', 'claude-sonnet-4-6']);
    expect(d.effort.codex).toBe('medium');
  });

  it('security-sensitive → suggest a review even for one file', () => {
    expect(decide({ category: 'review', filesChanged: 1, security: true }).checkpoint?.name).toBe('pr_cross_review');
  });

  it('Gemini off → Codex (general line)', () => {
    expect(decide({ category: 'review', security: true }, { 'models.gemini_enabled': false })).toMatchObject({
      model: 'gpt-5.2',
      provider: 'codex',
    });
  });

  it('Codex off → Gemini; both off → Claude; checkpoint off → Claude', () => {
    expect(decide({ category: 'review', security: true }, { 'models.codex_enabled': false }).model).toBe(
      'gemini-3.1-pro',
    );
    expect(
      decide({ category: 'review', security: true }, { 'models.codex_enabled': false, 'models.gemini_enabled': false })
        .provider,
    ).toBe('claude');
    const off = decide({ category: 'review', security: true }, { 'checkpoints.pr_cross_review': 'off' });
    expect(off.provider).toBe('claude');
    expect(off.reasons.join('\n')).toContain('checkpoints.pr_cross_review = "off"');
  });

  it('architecture change → Gemini codebase analysis', () => {
    expect(decide({ category: 'review', architecture: true })).toMatchObject({
      model: 'gemini-3.1-pro',
      checkpoint: { name: 'pr_cross_review' },
    });
  });

  it('plan review → Codex with the plan_review checkpoint', () => {
    expect(decide({ task: 'review the plan in docs/plan.md' })).toMatchObject({
      category: 'plan-review',
      model: 'gpt-5.3-codex',
      checkpoint: { name: 'plan_review', mode: 'ask' },
    });
  });
});

describe('research', () => {
  it('context above the threshold → Gemini (large context)', () => {
    const d = decide({ category: 'research', contextTokens: 150_001 });
    expect(d).toMatchObject({ model: 'gemini-3.1-pro', checkpoint: { name: 'context_analysis' } });
    expect(decide({ category: 'research', contextTokens: 150_000 }).provider).toBe('claude');
  });

  it('current web info → Gemini with search; codebase research → Claude Haiku', () => {
    expect(decide({ task: 'research the latest React 20 release notes' }).model).toBe('gemini-3.1-pro');
    expect(decide({ category: 'research', web: true }, { 'models.gemini_enabled': false }).provider).toBe('claude');
    expect(decide({ category: 'research' }).model).toBe('claude-haiku-4-5');
  });
});

describe('debug escalation', () => {
  it('below suggest_codex_debug_after_cycles → continue with Claude', () => {
    const d = decide({ category: 'debug', debugCycles: 1 });
    expect(d).toMatchObject({ provider: 'claude', checkpoint: null, effort: { claude: 'adaptive', codex: 'high' } });
  });

  it('at the threshold → suggest Codex, always "ask" even when config says auto', () => {
    const d = decide(
      { category: 'debug', debugCycles: 2, artifacts: ['trace.txt'] },
      { 'checkpoints.debug_escalation': 'auto' },
    );
    expect(d).toMatchObject({
      model: 'gpt-5.3-codex',
      checkpoint: { name: 'debug_escalation', mode: 'ask' },
      effort: { claude: 'extended', codex: 'xhigh', gemini: 'pro' },
    });
  });

  it('"it is hard" alone never escalates effort: artifacts are required', () => {
    const d = decide({ category: 'debug', debugCycles: 3 });
    expect(d.model).toBe('gpt-5.3-codex');
    expect(d.effort).toMatchObject({ claude: 'adaptive', codex: 'high' });
    expect(d.reasons.join('\n')).toContain('needs concrete artifacts');
  });

  it('escalation_requires_artifacts = false lets a stalled debug escalate without them', () => {
    const d = decide(
      { category: 'debug', debugCycles: 3 },
      { 'models.effort_policy.escalation_requires_artifacts': false },
    );
    expect(d.effort).toMatchObject({ claude: 'extended', codex: 'xhigh' });
  });

  it('debug_escalation = "off" keeps Claude', () => {
    expect(decide({ category: 'debug', debugCycles: 9 }, { 'checkpoints.debug_escalation': 'off' }).provider).toBe(
      'claude',
    );
  });
});

describe('default and effort', () => {
  it('implementation → Sonnet; search and docs → Haiku; architecture → Opus', () => {
    expect(decide({ task: 'add a settings page' })).toMatchObject({
      category: 'implementation',
      model: 'claude-sonnet-4-6',
    });
    expect(decide({ task: 'find where the session cookie is set' })).toMatchObject({
      category: 'search',
      model: 'claude-haiku-4-5',
    });
    expect(decide({ task: 'update the README' })).toMatchObject({ category: 'docs', model: 'claude-haiku-4-5' });
    expect(decide({ category: 'architecture' })).toMatchObject({
      model: 'claude-opus-4-6',
      effort: { claude: 'adaptive', codex: 'xhigh' },
    });
  });

  it('a blocked task with artifacts escalates; without artifacts it does not', () => {
    expect(decide({ category: 'implementation', blocked: true, artifacts: ['fail.log'] }).effort.claude).toBe(
      'extended',
    );
    expect(decide({ category: 'implementation', blocked: true }).effort.claude).toBe('adaptive');
  });

  it('gemini effort is Pro vs Flash by flash_threshold', () => {
    expect(decide({ category: 'search' }).effort.gemini).toBe('flash');
    expect(decide({ category: 'review' }).effort.gemini).toBe('pro');
    expect(decide({ category: 'review' }, { 'models.gemini.flash_threshold': 'moderate' }).effort.gemini).toBe('flash');
    expect(decide({ category: 'search' }, { 'models.gemini.flash_threshold': 'never' }).effort.gemini).toBe('pro');
  });

  it('effort comes from the configured policy row', () => {
    expect(
      decide({ category: 'formatting' }, { 'models.effort_policy.formatting': { claude: 'adaptive', codex: 'low' } })
        .effort.codex,
    ).toBe('low');
  });
});

describe('category inference', () => {
  it.each([
    ['generate a hero illustration for the landing page', 'image'],
    ['animated svg loader', 'svg'],
    ['fix the failing login test', 'debug'],
    ['review PR 42', 'review'],
    ['what is the latest version of vite', 'research'],
    ['design the data model for teams', 'architecture'],
    ['handle NDA source code', 'privacy'],
    ['add pagination to the users endpoint', 'implementation'],
  ])('%s → %s', (task, category) => {
    expect(inferCategory(task).category).toBe(category);
  });
});

describe('reasons', () => {
  it('name each skipped model once', () => {
    const d = decide({ category: 'svg', complex: true }, { 'models.gemini_enabled': false });
    expect(d.reasons.filter((r) => r.includes('gemini-3.1-pro is disabled'))).toHaveLength(1);
  });
});

describe('claude teams', () => {
  it('names the configured thread limit', () => {
    const d = decide(
      { task: 'compare two approaches', with: 'teams' },
      { 'models.claude_teams.max_parallel_threads': 5 },
    );
    expect(d.model).toBe('claude-teams');
    expect(d.reasons).toContain('up to 5 parallel threads ([models.claude_teams] max_parallel_threads)');
  });
});
