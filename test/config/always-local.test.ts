import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/validate.ts';
import { MmError } from '../../src/util/errors.ts';

const FILE = '/p/.claude/config/multi-model.toml';

function configError(source: string): MmError {
  try {
    parseConfigText(source, FILE);
  } catch (e) {
    if (e instanceof MmError) return e;
    throw e;
  }
  throw new Error('expected a config error');
}

describe('models.local_llm.always_local names tasks of the task table', () => {
  it('an unknown name is a config error naming file, line, key and the nearest task', () => {
    const err = configError('# privacy\n[models.local_llm]\nmodel = "qwen"\nalways_local = ["securty", "privacy"]\n');
    expect(err.kind).toBe('config');
    expect(err.message).toBe(`${FILE}: invalid configuration (1 problem)`);
    expect(err.details).toEqual([
      `${FILE}:4: models.local_llm.always_local: "securty" is not a known task (did you mean "security"?)`,
    ]);
    expect(err.hint).toContain('privacy');
  });

  it('every unknown name is reported; one with no near task gets no suggestion', () => {
    const err = configError('[models.local_llm]\nalways_local = [\n  "secrets-analysis",\n  "debuging",\n]\n');
    expect(err.details).toEqual([
      `${FILE}:2: models.local_llm.always_local: "secrets-analysis" is not a known task`,
      `${FILE}:2: models.local_llm.always_local: "debuging" is not a known task (did you mean "debugging"?)`,
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
      FILE,
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
