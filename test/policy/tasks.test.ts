import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/policy/categories.ts';
import { resolveEffort } from '../../src/policy/effort.ts';
import { route } from '../../src/policy/route.ts';
import { effortRowFor, parseCategory, parseTask, TASKS, taskRowFor } from '../../src/policy/tasks.ts';
import { codexEffortFor, codexModelFor } from '../../src/providers/codex.ts';
import { configFrom, TEMPLATE, templateWith } from '../helpers/config.ts';
import { contextFor } from '../helpers/invoke-context.ts';

describe('one task vocabulary', () => {
  it.each([
    ['debugging', 'debug'],
    ['code_review', 'review'],
    ['simple_search', 'search'],
    ['architecture_decisions', 'architecture'],
    ['plan_review', 'plan-review'],
  ])('the config name %s is an alias of the category %s', (alias, category) => {
    expect(parseCategory(alias)).toBe(category);
    expect(taskRowFor(alias)).toBe(taskRowFor(category));
  });

  it.each([
    ['debug', 'debugging'],
    ['architecture', 'architecture_decisions'],
    ['review', 'code_review'],
    ['search', 'simple_search'],
  ])('mm ask --task %s and --task %s get the same Codex effort and model', (a, b) => {
    const ctx = contextFor(TEMPLATE);
    expect(codexEffortFor({ task: a }, ctx)).toBe(codexEffortFor({ task: b }, ctx));
    expect(codexModelFor({ task: a }, ctx)).toBe(codexModelFor({ task: b }, ctx));
  });

  it('mm ask and mm route read the same effort row for a category', () => {
    const { config, registry } = templateWith();
    for (const category of CATEGORIES) {
      const viaRoute = resolveEffort(config, category, { escalate: false });
      expect(effortRowFor(category, config)?.codex, category).toBe(viaRoute.codex);
    }
    expect(route({ category: parseCategory('architecture_decisions') }, config, registry).effort.codex).toBe('xhigh');
  });

  it('every category has a row of its own name with that category', () => {
    for (const category of CATEGORIES) expect(TASKS[category].category).toBe(category);
  });

  it('a wrong name is a usage error with a suggestion', () => {
    const { config } = templateWith();
    expect(() => parseTask('debuging', config)).toThrow(
      /--task "debuging" is not a known task \(did you mean "debugging"\?\)/,
    );
    expect(() => parseCategory('reveiw')).toThrow(
      /--category "reveiw" is not a known category \(did you mean "review"\?\)/,
    );
    expect(() => parseTask('nonsense', config)).toThrow(expect.objectContaining({ kind: 'usage' }));
  });

  it("accepts a task row or chain the user's config defines, and reads that row", () => {
    const { config } = configFrom(`${TEMPLATE}
[models.effort_policy.migration]
claude = "adaptive"
codex = "high"
`);
    expect(parseTask('migration', config)).toBe('migration');
    expect(effortRowFor('migration', config)?.codex).toBe('high');
  });
});
