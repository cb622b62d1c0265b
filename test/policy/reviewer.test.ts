import { describe, expect, it } from 'vitest';
import type { ChangeAnalysis } from '../../src/git/change.ts';
import { evaluateThresholds } from '../../src/policy/thresholds.ts';
import { pickReviewers } from '../../src/workflows/review/reviewer.ts';
import { templateWith } from '../helpers/config.ts';

function change(files: number, security: boolean, architecture: boolean): ChangeAnalysis {
  return {
    root: '/r',
    compared: 'working tree vs HEAD',
    files: Array.from({ length: files }, (_, i) => ({
      path: `src/f${i}.ts`,
      status: 'modified' as const,
      added: 1,
      removed: 1,
      security: [],
    })),
    added: files,
    removed: files,
    estimatedTokens: 100,
    securityHits: security
      ? [{ file: 'src/f0.ts', line: 1, concept: 'auth', term: 'auth', where: 'added', place: 'code', weight: 2 }]
      : [],
    securityFiles: security ? 1 : 0,
    securitySensitive: security,
    securityScore: security ? 2 : 0,
    architecture: {
      changed: architecture,
      evidence: architecture ? [{ kind: 'dependency', file: 'package.json', text: 'adds dependency x' }] : [],
    },
  };
}

describe('one reviewer decision', () => {
  const setups: Record<string, Record<string, unknown>> = {
    'Gemini and Codex on': {},
    'Gemini off': { 'models.gemini_enabled': false },
    'Codex off': { 'models.codex_enabled': false },
    'flash up to 20 files': { 'thresholds.flash_review_max_files': 20 },
  };
  const cases: Array<[number, boolean, boolean]> = [
    [1, true, false],
    [3, false, true],
    [11, false, false],
    [12, true, true],
    [30, false, false],
  ];
  for (const [name, overrides] of Object.entries(setups)) {
    it.each(cases)(
      `${name}: %i files, security %s, architecture %s → mm check names the model review diff runs`,
      (files, sec, arch) => {
        const { config, registry } = templateWith(overrides);
        const c = change(files, sec, arch);
        const suggestion = evaluateThresholds({ change: c, debugCycles: 0 }, config, registry).find(
          (s) => s.checkpoint === 'pr_cross_review',
        );
        const [runs] = pickReviewers(undefined, config, registry, {
          files,
          securityFiles: c.securityFiles,
          architecture: arch,
        });
        expect(suggestion?.model).toBe(runs!.model);
        expect(suggestion?.reason).toContain(`suggest ${registry.find(runs!.model)!.name} review`);
      },
    );
  }
});
