/** `mm develop`'s pure pieces: Phase 0's analyst and answer check, plan sections, conflict detection. */
import { describe, expect, it } from 'vitest';
import { detectConflicts, exportedSymbols } from '../../src/workflows/mao/develop-conflicts.ts';
import { fallbackPhase0, parsePhase0, pickAnalyst } from '../../src/workflows/mao/develop-phase0.ts';
import { parseSectionList, planSections, sectionsTask } from '../../src/workflows/mao/develop-sections.ts';
import { planCheckpoint } from '../../src/workflows/mao/develop.ts';
import { dependencyGraph, sectionGraph } from '../../src/workflows/mao/develop-graph.ts';
import { testConfig } from '../helpers/fake-invoke.ts';

const WS = ['schemas', 'implementation', 'tests'];
const answer = (workstreams: unknown) => JSON.stringify({ complexity: 'low', workstreams });

describe('Phase 0 analyst', () => {
  it('is Claude Haiku when Claude has a way in and nothing cheaper is enabled', () => {
    const { config, registry } = testConfig({ codex_enabled: true, gemini_enabled: false });
    expect(pickAnalyst(config, registry, { ANTHROPIC_API_KEY: 'x' })?.id).toBe('claude-haiku-4-5');
  });
  it('is none when only Claude is enabled and it has no way in', () => {
    const { config, registry } = testConfig({});
    const env = { ANTHROPIC_API_KEY: '', PATH: '/nonexistent' };
    expect(pickAnalyst(config, registry, env)).toBeNull();
  });
  it('honours [develop] analysis_model, and refuses one that is not enabled', () => {
    const { config, registry } = testConfig({ codex_enabled: true, gemini_enabled: false });
    config.develop.analysis_model = 'gpt-5.2-mini';
    expect(pickAnalyst(config, registry, {})?.id).toBe('gpt-5.2-mini');
    config.develop.analysis_model = 'gemini-3-flash';
    expect(pickAnalyst(config, registry, {})).toBeNull();
  });
});

describe('Phase 0 answer', () => {
  it("accepts a fenced graph and orders by the model's dependencies", () => {
    const text =
      '```json\n' +
      answer([
        { name: 'tests', depends_on: ['schemas'], why: 'c' },
        { name: 'schemas', depends_on: [], why: 'a' },
        { name: 'implementation', depends_on: ['schemas'], why: 'b' },
      ]) +
      '\n```';
    const p = parsePhase0(text, WS);
    expect(p.graph.stages).toEqual([['schemas'], ['implementation', 'tests']]);
    expect(p.why.tests).toBe('c');
  });
  const bad: Array<[string, string, RegExp]> = [
    ['prose', 'The schemas go first.', /not JSON/],
    ['a wrong shape', JSON.stringify({ complexity: 'huge', workstreams: [] }), /complexity/],
    [
      'an unknown workstream',
      answer([...WS.map((name) => ({ name, depends_on: [], why: '' })), { name: 'docs', depends_on: [], why: '' }]),
      /unknown workstream\(s\) docs/,
    ],
    ['a missing workstream', answer([{ name: 'schemas', depends_on: [], why: '' }]), /left out: implementation, tests/],
    [
      'a self-dependency',
      answer(WS.map((name) => ({ name, depends_on: name === 'tests' ? ['tests'] : [], why: '' }))),
      /tests depends on tests/,
    ],
    [
      'a cycle',
      answer([
        { name: 'schemas', depends_on: ['tests'], why: '' },
        { name: 'implementation', depends_on: [], why: '' },
        { name: 'tests', depends_on: ['schemas'], why: '' },
      ]),
      /cycle: schemas, tests/,
    ],
  ];
  for (const [what, text, message] of bad)
    it(`refuses ${what}`, () => expect(() => parsePhase0(text, WS)).toThrow(message));

  it('falls back to the dependency table and says why', () => {
    const p = fallbackPhase0('build it', WS, '/nonexistent', 'no model is enabled for the analysis');
    expect(p).toMatchObject({ source: 'fallback', analyst: null, complexity: 'low' });
    expect(p.graph.stages).toEqual([['schemas'], ['implementation'], ['tests']]);
    expect(p.why.tests).toContain('builds on the output of implementation');
  });
});

describe('plan sections', () => {
  const plan = '# Plan\n\n## 1. Setup\na\n### 1.1 detail\nb\n## Section 2: Storage\nc\n## 3 Tests\nd\n';
  it('finds numbered headings of any form, each up to the next heading of its level', () => {
    expect(planSections(plan).map((s) => [s.number, s.title, s.line])).toEqual([
      [1, 'Setup', 3],
      [2, 'Storage', 7],
      [3, 'Tests', 9],
    ]);
    expect(planSections(plan)[0]!.text).toContain('### 1.1 detail');
  });
  it('reads 2,3 and 2-3 alike; refuses words, empty lists and unknown numbers', () => {
    expect(parseSectionList(['2, 3'])).toEqual([2, 3]);
    expect(parseSectionList(['2-3'])).toEqual([2, 3]);
    expect(() => parseSectionList(['x'])).toThrow(/"x" is not a section number/);
    expect(() => parseSectionList([','])).toThrow(/at least one/);
    expect(() => sectionsTask(plan, 'plan.md', [4])).toThrow(
      'plan.md: no section 4; it has 1 (line 3), 2 (line 7), 3 (line 9)',
    );
    expect(() => sectionsTask('# none', 'p.md', [1])).toThrow(/p.md: no numbered sections/);
  });
});

describe('conflict detection', () => {
  it('finds a file written twice and an exported symbol declared in two files', () => {
    const found = detectConflicts([
      { workstream: 'schemas', files: { 'src/types.ts': 'export interface User {}\n' } },
      { workstream: 'storage', files: { 'src/store.ts': 'export type User = {};\nexport const save = 1;\n' } },
      { workstream: 'tests', files: { 'src/store.ts': 'export const save = 2;\n' } },
    ]);
    expect(found).toEqual([
      { kind: 'file', file: 'src/store.ts', workstreams: ['storage', 'tests'] },
      {
        kind: 'symbol',
        file: 'src/types.ts',
        files: ['src/types.ts', 'src/store.ts'],
        symbol: 'User',
        workstreams: ['schemas', 'storage'],
      },
    ]);
  });
  it('reads TS/JS exports and Python top-level definitions', () => {
    expect(exportedSymbols('export default async function go() {}\nexport const A = 1;\nconst b = 2;')).toEqual([
      'go',
      'A',
    ]);
    expect(exportedSymbols('def run():\n    pass\nclass Store:\n    def inner(self): pass\n')).toEqual([
      'run',
      'Store',
    ]);
  });
});

describe('plan checkpoint', () => {
  it('ask waits for --yes when a call is paid; auto proceeds; off proceeds without the plan', () => {
    expect(planCheckpoint('ask', false, 2)).toEqual({ proceed: false, showPlan: true });
    expect(planCheckpoint('ask', true, 2)).toEqual({ proceed: true, showPlan: true });
    expect(planCheckpoint('ask', false, 0)).toEqual({ proceed: true, showPlan: true });
    expect(planCheckpoint('auto', false, 5)).toEqual({ proceed: true, showPlan: true });
    expect(planCheckpoint('off', false, 5)).toEqual({ proceed: true, showPlan: false });
  });
});

describe('section graph', () => {
  it('repeats the stages per section, in order, each workstream building on its counterpart of the section before', () => {
    const g = sectionGraph(dependencyGraph(['schemas', 'tests']), [2, 3]);
    expect(g.stages).toEqual([['2.schemas'], ['2.tests'], ['3.schemas'], ['3.tests']]);
    expect(g.edges).toEqual({
      '2.schemas': [],
      '2.tests': ['2.schemas'],
      '3.schemas': ['2.schemas'],
      '3.tests': ['2.tests', '3.schemas'],
    });
  });
  it('never calls writers of different sections a conflict', () => {
    expect(
      detectConflicts([
        { workstream: '2.schemas', group: '2', files: { 'src/a.ts': 'export const a = 1;' } },
        { workstream: '3.schemas', group: '3', files: { 'src/a.ts': 'export const a = 2;' } },
      ]),
    ).toEqual([]);
  });
});
