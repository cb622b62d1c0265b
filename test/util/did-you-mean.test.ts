import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/util/did-you-mean.ts';

describe('didYouMean', () => {
  it('suggests close typos and unique prefixes, nothing for unrelated words', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('codex_enable', ['codex_enabled', 'gemini_enabled'])).toBe('codex_enabled');
    expect(didYouMean('files_changed', ['files_changed_suggest_review', 'security_sensitive_patterns'])).toBe(
      'files_changed_suggest_review',
    );
    expect(didYouMean('plan', ['plan_review', 'plan_generation'])).toBeUndefined();
    expect(didYouMean('banana', ['checkpoints', 'thresholds'])).toBeUndefined();
  });
});
