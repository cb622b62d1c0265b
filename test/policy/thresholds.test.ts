import { describe, expect, it } from 'vitest';
import type { ChangeAnalysis, ChangedFile } from '../../src/git/change.ts';
import type { ArchitectureEvidence } from '../../src/policy/architecture.ts';
import { evaluateThresholds } from '../../src/policy/thresholds.ts';
import { plain, templateWith } from '../helpers/config.ts';

function change(
  files: number,
  opts: { security?: string; tokens?: number; architecture?: ArchitectureEvidence } = {},
): ChangeAnalysis {
  const list: ChangedFile[] = Array.from({ length: files }, (_, i) => ({
    path: `src/f${i}.ts`,
    status: 'modified',
    added: 1,
    removed: 1,
    security: [],
  }));
  if (opts.security && list[0]) list[0] = { ...list[0], path: opts.security, security: ['auth'] };
  return {
    root: '/r',
    compared: 'working tree vs HEAD',
    files: list,
    added: files,
    removed: files,
    estimatedTokens: opts.tokens ?? 100,
    securityHits: opts.security
      ? [{ file: opts.security, line: 12, concept: 'auth', term: 'auth', where: 'added', place: 'code', weight: 1 }]
      : [],
    securityFiles: opts.security ? 1 : 0,
    securitySensitive: opts.security !== undefined,
    securityScore: opts.security ? 3 : 0,
    architecture: { changed: opts.architecture !== undefined, evidence: opts.architecture ? [opts.architecture] : [] },
  };
}

describe('evaluateThresholds', () => {
  it('nothing triggers on a small, ordinary change', () => {
    const { config, registry } = templateWith();
    expect(evaluateThresholds({ change: change(3), debugCycles: 0 }, config, registry)).toEqual([]);
  });

  it('14 files including auth middleware → suggest the reviewer review diff runs (Gemini Pro, ask), with the evidence', () => {
    const { config, registry } = templateWith();
    const [s, ...rest] = evaluateThresholds(
      { change: change(14, { security: 'src/auth/middleware.ts' }), debugCycles: 0 },
      config,
      registry,
    );
    expect(rest).toEqual([]);
    expect(s).toMatchObject({
      checkpoint: 'pr_cross_review',
      mode: 'ask',
      model: 'gemini-3.1-pro',
      provider: 'gemini',
    });
    expect(s!.reason).toBe(
      '14 files changed (> 10), security evidence in src/auth/middleware.ts:12 (auth) → suggest Gemini 3.1 Pro (preview) review (ask)',
    );
  });

  it('one security-sensitive file is enough; so is an architecture change, with its evidence', () => {
    const { config, registry } = templateWith();
    const [sec] = evaluateThresholds(
      { change: change(1, { security: 'src/auth.ts' }), debugCycles: 0 },
      config,
      registry,
    );
    expect(sec).toMatchObject({ checkpoint: 'pr_cross_review', model: 'gemini-3.1-pro' });
    const [arch] = evaluateThresholds(
      {
        change: change(2, {
          architecture: { kind: 'dependency', file: 'package.json', line: 9, text: 'adds dependency left-pad' },
        }),
        debugCycles: 0,
      },
      config,
      registry,
    );
    expect(arch!.reason).toBe(
      '2 files changed, architecture change: adds dependency left-pad → suggest Gemini 3.1 Pro (preview) review (ask)',
    );
  });

  it('large context and stalled debugging each add their own suggestion', () => {
    const { config, registry } = templateWith({ 'checkpoints.context_analysis': 'auto' });
    const s = evaluateThresholds({ change: change(2, { tokens: 200_000 }), debugCycles: 2 }, config, registry);
    expect(s.map((x) => [x.checkpoint, x.mode, x.model])).toEqual([
      ['context_analysis', 'auto', 'gemini-3.1-pro'],
      ['debug_escalation', 'ask', 'gpt-5.3-codex'],
    ]);
  });

  it('a threshold met with external models off is reported as off, saying why', () => {
    const { config, registry } = plain();
    const [s] = evaluateThresholds({ change: change(30), debugCycles: 0, plainClaudeCode: true }, config, registry);
    expect(s).toMatchObject({ checkpoint: 'pr_cross_review', mode: 'off', provider: 'claude' });
    expect(s!.reason).toContain('external models are off (no config file)');
    const disabled = templateWith({ 'models.codex_enabled': false, 'models.gemini_enabled': false });
    expect(
      evaluateThresholds({ change: change(30), debugCycles: 0 }, disabled.config, disabled.registry)[0]!.reason,
    ).toContain('no external model is enabled');
    const off = templateWith({ 'checkpoints.pr_cross_review': 'off' });
    expect(evaluateThresholds({ change: change(30), debugCycles: 0 }, off.config, off.registry)[0]!.reason).toContain(
      'checkpoints.pr_cross_review = "off"',
    );
  });

  it('thresholds come from config', () => {
    const { config, registry } = templateWith({ 'thresholds.files_changed_suggest_review': 2 });
    expect(evaluateThresholds({ change: change(3), debugCycles: 0 }, config, registry)).toHaveLength(1);
  });
});
