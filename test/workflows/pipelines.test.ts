import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withSampling } from '../../src/providers/claude.ts';
import { ollamaOptions } from '../../src/providers/local.ts';
import { ignoredSampling } from '../../src/providers/sampling.ts';
import { extractCandidate } from '../../src/workflows/fanout/materialize.ts';
import { filesNamedIn } from '../../src/workflows/fanout/spec-files.ts';
import { mergeFindings, sameFinding, similarity, type RawFinding } from '../../src/workflows/mao/qa-merge.ts';
import { tempDir } from '../helpers/repo.ts';
import { dependencyGraph } from '../../src/workflows/mao/develop-graph.ts';
import { plain } from '../helpers/config.ts';
import { effortRows, suggestEffort } from '../../src/usage/effort-report.ts';
import type { LedgerEntry } from '../../src/usage/ledger.ts';
import type { RegistryEntry } from '../../src/registry/models.ts';

describe('materialize: files named by their first line', () => {
  const cases: Array<[string, string, string, string]> = [
    ['// file:', '```ts\n// file: src/x.ts\nexport const x = 1;\n```', 'src/x.ts', 'export const x = 1;\n'],
    ['# file:', '```python\n# file: x.py\nX = 1\n```', 'x.py', 'X = 1\n'],
    ['<!-- file: -->', '```html\n<!-- file: x.html -->\n<p/>\n```', 'x.html', '<p/>\n'],
    ['/* path: */', '```css\n/* path: a/b.css */\np{}\n```', 'a/b.css', 'p{}\n'],
    ['-- file:', '```sql\n-- file: db/1.sql\nselect 1;\n```', 'db/1.sql', 'select 1;\n'],
    ['title=', '```ts title="src/x.ts"\nexport const x = 1;\n```', 'src/x.ts', 'export const x = 1;\n'],
    ['info path', '```ts src/x.ts\nexport const x = 1;\n```', 'src/x.ts', 'export const x = 1;\n'],
  ];
  for (const [name, text, path, content] of cases)
    it(name, () => expect(extractCandidate(text)).toEqual({ kind: 'files', files: [{ path, content }] }));

  it('refuses a first-line path outside the project', () => {
    expect(extractCandidate('```sh\n# file: ../../etc/x.sh\nrm\n```')).toMatchObject({
      kind: 'none',
      reason: expect.stringContaining('../../etc/x.sh'),
    });
  });

  it('a comment that is not a file marker stays code, and the block is not a candidate', () => {
    expect(extractCandidate('```ts\n// files are read lazily\nx\n```')).toMatchObject({ kind: 'none' });
  });
});

describe('sampling parameters', () => {
  const entry = (kind: string, line = 'coding') => ({ access: { kind }, line }) as unknown as RegistryEntry;
  it('Ollama gets options.temperature and num_predict', () => {
    expect(ollamaOptions({ temperature: 0, maxTokens: 10 })).toEqual({ temperature: 0, num_predict: 10 });
    expect(ollamaOptions({})).toBeUndefined();
  });
  it('Claude: max_tokens replaces the default (above a thinking budget); temperature only without thinking', () => {
    expect(withSampling({ max_tokens: 64000 }, { temperature: 0.3, maxTokens: 100 })).toEqual({
      max_tokens: 100,
      temperature: 0.3,
    });
    expect(
      withSampling(
        { max_tokens: 1, thinking: { type: 'enabled', budget_tokens: 500 } },
        { temperature: 0.3, maxTokens: 100 },
      ),
    ).toEqual({
      max_tokens: 501,
      thinking: { type: 'enabled', budget_tokens: 500 },
    });
  });
  it('says which providers ignore what', () => {
    expect(ignoredSampling(entry('codex-cli'), { temperature: 1 })).toEqual({
      params: ['temperature'],
      why: 'the Codex CLI has no sampling flags',
    });
    expect(ignoredSampling(entry('gemini-cli'), { maxTokens: 5 })?.params).toEqual(['max_tokens']);
    expect(ignoredSampling(entry('ollama'), { temperature: 1, maxTokens: 5 })).toBeNull();
    expect(ignoredSampling(entry('anthropic', 'sonnet'), { temperature: 1, maxTokens: 5 })?.params).toEqual([
      'temperature',
    ]);
    expect(ignoredSampling(entry('anthropic', 'haiku'), { temperature: 1 })).toBeNull();
    expect(ignoredSampling(entry('codex-cli'), {})).toBeNull();
    // A Claude model without an API key is served by the Claude Code CLI: no sampling flags there.
    expect(ignoredSampling(entry('anthropic', 'haiku'), { temperature: 1 }, 'claude-cli')).toEqual({
      params: ['temperature'],
      why: 'the Claude Code CLI has no sampling flags',
    });
  });
});

describe('files a spec names', () => {
  it('takes existing project files within the budget, not secrets handling (the guard does that) nor missing files', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/a.ts'), 'a');
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(4000));
    const r = filesNamedIn('Change `src/a.ts` and src/missing.ts, see big.txt and ../outside.ts.', dir, 200);
    expect(r.files).toEqual(['src/a.ts']);
    expect(r.skipped).toEqual([{ path: 'big.txt', why: 'over the context budget (200 tokens)' }]);
  });
});

describe('QA merging', () => {
  const f = (over: Partial<RawFinding>): RawFinding => ({
    severity: 'medium',
    file: 'src/a.ts',
    line: 10,
    issue: 'The result of parse() is never checked',
    recommendation: null,
    dimension: 'error_handling',
    model: 'm1',
    ...over,
  });
  const order = ['prd_compliance', 'error_handling', 'type_safety', 'architecture', 'security'];

  it('three copies of one finding become one, keeping dimensions, models, the worst severity', () => {
    const merged = mergeFindings(
      [
        f({}),
        f({ dimension: 'type_safety', model: 'm2', line: 12, issue: 'parse() result never checked', severity: 'high' }),
        f({
          dimension: 'security',
          model: 'm3',
          line: null,
          issue: 'result of parse() is not checked',
          recommendation: 'check it',
        }),
        f({ issue: 'SQL built by string concatenation', dimension: 'security', model: 'm3' }),
      ],
      order,
      (category) => `fixer-for-${category}`,
    );
    expect(merged).toHaveLength(2);
    expect(merged[0]).toEqual({
      severity: 'high',
      category: 'type_safety',
      file: 'src/a.ts',
      line: 10,
      issue: 'parse() result never checked',
      recommendation: 'check it',
      dimensions: ['error_handling', 'type_safety', 'security'],
      models: ['m1', 'm2', 'm3'],
      fix_by: 'fixer-for-type_safety',
    });
  });

  it('different files, distant lines or different numbers are different findings', () => {
    expect(sameFinding(f({}), f({ file: 'src/b.ts' }))).toBe(false);
    expect(sameFinding(f({}), f({ line: 40 }))).toBe(false);
    expect(sameFinding(f({ issue: 'timeout is 10 s' }), f({ issue: 'timeout is 20 s' }))).toBe(false);
    expect(similarity('a b c', 'c b a')).toBe(1);
  });
});

describe('effort report', () => {
  const e = (task: string, effort: string, status = 'ok', checkpoint = 'r1', ts = '2026-01-01T00:00:00Z') =>
    ({ ts, provider: 'codex', model: 'm', task, status, effort, checkpoint }) as unknown as LedgerEntry;

  it('counts retries, escalations and referee losses per task and level, and suggests a raise it never applies', () => {
    const entries = [
      ...Array.from({ length: 4 }, (_, i) => e('debugging', 'high', 'ok', `r${i}`)),
      e('debugging', 'high', 'timeout', 'r9'),
      e('debugging', 'high', 'ok', 'r9'),
      e('debugging_escalated', 'xhigh', 'ok', 'r9', '2026-01-02T00:00:00Z'),
      e('code_review', 'medium'),
    ];
    const rows = effortRows(entries, [{ task: 'debugging', effort: 'high' }]);
    expect(rows).toEqual([
      { task: 'code_review', effort: 'medium', calls: 1, retried: 0, escalated: 0, overruled: 0 },
      { task: 'debugging', effort: 'high', calls: 6, retried: 1, escalated: 1, overruled: 1 },
    ]);
    const { config } = plain();
    expect(suggestEffort(rows, config)).toEqual([
      {
        task: 'debugging',
        from: 'high',
        to: 'xhigh',
        why: '3 of 6 calls at high needed help (1 retried, 1 escalated, 1 overruled by the referee)',
        toml: '[models.effort_policy.debugging]\ncodex = "xhigh"',
      },
    ]);
  });
});

describe('develop dependency graph', () => {
  it('orders the five workstreams: schemas, then storage and core logic in parallel, then implementation, then tests', () => {
    expect(dependencyGraph(['tests', 'implementation', 'core_logic', 'storage', 'schemas']).stages).toEqual([
      ['schemas'],
      ['core_logic', 'storage'],
      ['implementation'],
      ['tests'],
    ]);
  });
  it('bridges a workstream left out: tests follow storage when there is no implementation', () => {
    expect(dependencyGraph(['storage', 'tests', 'docs'])).toEqual({
      edges: { storage: [], tests: ['storage'], docs: [] },
      stages: [['storage', 'docs'], ['tests']],
    });
  });
  it('refuses a cycle with the workstreams named', () => {
    expect(() => dependencyGraph(['a', 'b'], { a: ['b'], b: ['a'] })).toThrow(/cycle: a, b/);
  });
});
