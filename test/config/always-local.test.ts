import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/validate.ts';
import { CONFIG_FILE, configError } from '../helpers/config.ts';

describe('models.local_llm.always_local names tasks of the task table', () => {
  it('an unknown name is a config error naming file, line, key and the nearest task', () => {
    const err = configError('# privacy\n[models.local_llm]\nmodel = "qwen"\nalways_local = ["securty", "privacy"]\n');
    expect(err.kind).toBe('config');
    expect(err.message).toBe(`${CONFIG_FILE}: invalid configuration (1 problem)`);
    expect(err.details).toEqual([
      `${CONFIG_FILE}:4: models.local_llm.always_local: "securty" is not a known task (did you mean "security"?)`,
    ]);
    expect(err.hint).toContain('privacy');
  });

  it('every unknown name is reported; one with no near task gets no suggestion', () => {
    const err = configError('[models.local_llm]\nalways_local = [\n  "secrets-analysis",\n  "debuging",\n]\n');
    expect(err.details).toEqual([
      `${CONFIG_FILE}:2: models.local_llm.always_local: "secrets-analysis" is not a known task`,
      `${CONFIG_FILE}:2: models.local_llm.always_local: "debuging" is not a known task (did you mean "debugging"?)`,
    ]);
  });

  it('accepts canonical names, the config vocabulary aliases, and the config’s own rows and chains', () => {
    const { config } = parseConfigText(
      [
        '[models.local_llm]',
        'always_local = ["security", "debugging", "code_review", "contracts", "legal"]',
        '[models.effort_policy]',
        'contracts = { claude = "adaptive", codex = "high" }',
        '[routing]',
        'legal = { primary = "claude-sonnet-4-6" }',
      ].join('\n'),
      CONFIG_FILE,
    );
    expect(config.models.local_llm.always_local).toEqual([
      'security',
      'debugging',
      'code_review',
      'contracts',
      'legal',
    ]);
  });
});
