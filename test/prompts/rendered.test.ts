/**
 * Every prompt mm sends, rendered with fixed inputs, against the text as it was sent before
 * the prompts moved into Markdown templates (__snapshots__/rendered.test.ts.snap): a template
 * edit that changes what a model receives shows up here, byte for byte. Change a prompt on
 * purpose, then `npx vitest run test/prompts -u` and review the snapshot diff.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mockupPrompt } from '../../src/assets/mockup.ts';
import { prototypePrompt } from '../../src/assets/prototype.ts';
import { CLAUDE_CLI_SYSTEM_PROMPT } from '../../src/providers/claude-cli.ts';
import { withJsonReply } from '../../src/providers/json-reply.ts';
import { RECHECK_INSTRUCTION } from '../../src/providers/task-kinds.ts';
import { consensusPrompt } from '../../src/workflows/consensus/consensus.ts';
import { debugPrompt } from '../../src/workflows/escalate/debug.ts';
import type { FanoutResult } from '../../src/workflows/fanout/types.ts';
import { coderPrompt } from '../../src/workflows/handoff/coder.ts';
import type { Assignment } from '../../src/workflows/mao/assign.ts';
import { developCalls, sectionCalls, WORKSTREAMS } from '../../src/workflows/mao/develop.ts';
import { synthesisPrompt as conflictPrompt, type Version } from '../../src/workflows/mao/develop-conflicts.ts';
import { phase0Prompt } from '../../src/workflows/mao/develop-phase0.ts';
import { journalCalls, perspectivesBundle, synthesisPrompt as journalPrompt } from '../../src/workflows/mao/journal.ts';
import { withDependencies } from '../../src/workflows/mao/develop-pipeline.ts';
import { qaCalls } from '../../src/workflows/mao/qa.ts';
import {
  analysisCalls,
  implementationCalls,
  repairCall,
  reviewCalls,
  synthesisCall,
} from '../../src/workflows/pipeline/prompts.ts';
import { diffReviewPrompt, planReviewPrompt } from '../../src/workflows/review/prompts.ts';

const assignment = (key: string, model = `model-${key}`): Assignment => ({
  key,
  model,
  vendor: 'v',
  fallbacks: [],
  skipped: [],
});
const ok = (label: string, text: string): FanoutResult => ({
  label,
  model: `model-${label}`,
  complexity: 'complex',
  ok: true,
  text,
});
const failed = (label: string): FanoutResult => ({
  label,
  model: `model-${label}`,
  complexity: 'complex',
  ok: false,
  error: 'timed out',
});
const prompts = (calls: Array<{ label: string; prompt: string }>) =>
  Object.fromEntries(calls.map((c) => [c.label, c.prompt]));

const TASK = 'Add rate limiting to the login endpoint (src/auth/login.ts).';
const SPEC = '# Code Spec: rate limit\n\n## Objective\n\nLimit login attempts.\n';

describe('review prompts', () => {
  it('plan review, plain and steered', () => {
    expect(planReviewPrompt('docs/plan.md', 'Step one.\nStep two.\n')).toMatchSnapshot();
    expect(
      planReviewPrompt('docs/plan.md', Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n'), {
        focus: ' auth ',
        adversarial: true,
      }),
    ).toMatchSnapshot();
  });

  it('diff review, whole and one part of several, steered', () => {
    const text = '1 +const a = 1;\n  - old\n2   keep';
    expect(
      diffReviewPrompt({ compared: 'HEAD~1..HEAD', changedFiles: ['a.ts'], chunk: { index: 0, of: 1, text } }),
    ).toMatchSnapshot();
    expect(
      diffReviewPrompt({
        compared: 'working tree vs HEAD',
        changedFiles: ['a.ts', 'b.ts'],
        chunk: { index: 1, of: 3, text },
        steer: { focus: 'error handling' },
      }),
    ).toMatchSnapshot();
    expect(
      diffReviewPrompt({
        compared: 'x',
        changedFiles: [],
        chunk: { index: 0, of: 1, text: '' },
        steer: { adversarial: true },
      }),
    ).toMatchSnapshot();
  });
});

describe('pipeline prompts', () => {
  const analysts = [assignment('architect'), assignment('security'), assignment('critic')];
  const implementers = [assignment('implementer'), assignment('optimizer'), assignment('reviewer')];
  const analyses = [ok('architect', '  - split the handler\n'), failed('security'), ok('critic', 'x'.repeat(12_010))];

  it('every phase', () => {
    expect(prompts(analysisCalls(analysts, TASK))).toMatchSnapshot();
    const synthesis = synthesisCall(assignment('synthesizer'), TASK, analyses, '# Code Spec: [Brief Title]\n');
    expect(synthesis.prompt).toMatchSnapshot();
    expect(
      repairCall(synthesis, SPEC, [
        { level: 'error', code: 'missing_section', message: 'no Guardrails section', line: 4 },
        { level: 'error', code: 'no_tests', message: 'no test item' },
      ]).prompt,
    ).toMatchSnapshot();
    expect(prompts(implementationCalls(implementers, SPEC))).toMatchSnapshot();
    expect(
      prompts(reviewCalls(implementers, SPEC, [ok('implementer', 'diff A\n'), failed('optimizer')])),
    ).toMatchSnapshot();
  });
});

describe('debug escalation', () => {
  it('read-only, sandboxed with and without signals', () => {
    const base = {
      error: 'TypeError: x is undefined\n  at f (a.ts:3)',
      tried: '  bumped the timeout\n',
      files: ['a.ts', 'b.ts'],
    };
    expect(debugPrompt({ ...base, sandbox: false, related: ['c.ts', 'd.ts'] })).toMatchSnapshot();
    expect(debugPrompt({ error: 'boom', tried: ' ', files: [], sandbox: false })).toMatchSnapshot();
    expect(
      debugPrompt({ ...base, sandbox: true, signals: ['ENOENT on a path', 'works on CI'], withheld: ['.env'] }),
    ).toMatchSnapshot();
    expect(debugPrompt({ ...base, sandbox: true })).toMatchSnapshot();
    expect(debugPrompt({ ...base, error: 'e'.repeat(300_010), sandbox: false }).length).toMatchSnapshot();
  });
});

describe('consensus', () => {
  it('without a stance and with each', () => {
    const q = 'Should we use SQLite or Postgres?';
    expect(consensusPrompt(q)).toMatchSnapshot();
    for (const stance of ['for', 'against', 'neutral'] as const) expect(consensusPrompt(q, stance)).toMatchSnapshot();
  });
});

describe('handoff coder', () => {
  it('agent with and without a verification command, text', () => {
    const spec = { name: 'CS-001', text: SPEC, verification: 'npm test' };
    const coder = (mode: 'agent' | 'text') => ({ model: 'm', name: 'M', adapter: 'codex' as const, mode });
    expect(coderPrompt(spec, coder('agent'))).toMatchSnapshot();
    expect(coderPrompt({ ...spec, verification: null }, coder('agent'))).toMatchSnapshot();
    expect(coderPrompt(spec, coder('text'))).toMatchSnapshot();
  });
});

describe('develop, QA and journal', () => {
  it('Phase 0, first try and after a rejected answer', () => {
    expect(phase0Prompt(TASK, ['schemas', 'tests'])).toMatchSnapshot();
    expect(phase0Prompt(TASK, ['schemas', 'tests'], 'cycle: schemas → tests → schemas')).toMatchSnapshot();
  });

  it('workstreams, with and without context, by section', () => {
    const plan = {
      task: TASK,
      assignments: [...WORKSTREAMS, 'docs'].map((w) => assignment(w)),
      diversity: {} as never,
    };
    expect(prompts(developCalls(plan))).toMatchSnapshot();
    expect(prompts(developCalls(plan, '### src/auth/login.ts\n...'))).toMatchSnapshot();
    expect(
      prompts(
        sectionCalls({ ...plan, assignments: [assignment('tests')] }, [{ number: 2, text: '## 2. Tests' }], 'plan.md'),
      ),
    ).toMatchSnapshot();
  });

  it("a workstream's prompt with its dependencies' output", () => {
    const call = developCalls({ task: TASK, assignments: [assignment('tests')], diversity: {} as never })[0]!;
    expect(withDependencies(call, [failed('schemas')]).prompt).toBe(call.prompt);
    expect(
      withDependencies(call, [
        ok('schemas', 'export type A = 1;'),
        failed('storage'),
        ok('core_logic', 'y'.repeat(20_000)),
      ]).prompt,
    ).toMatchSnapshot();
  });

  it('conflict synthesis for a file and a symbol', () => {
    const versions: Version[] = [
      { workstream: 'storage', files: ['a.ts'], content: { 'a.ts': 'export const a = 1;' } },
      { workstream: 'tests', files: ['a.ts', 'b.ts'], content: { 'a.ts': 'export const a = 2;', 'b.ts': 'b' } },
    ];
    expect(
      conflictPrompt(
        { kind: 'file', file: 'a.ts', workstreams: ['storage', 'tests'] },
        versions,
        TASK,
        'tests did not decide',
      ),
    ).toMatchSnapshot();
    expect(
      conflictPrompt(
        { kind: 'symbol', symbol: 'limit', files: ['a.ts', 'b.ts'], workstreams: ['storage', 'tests'] } as never,
        versions,
        TASK,
        'no tests',
      ),
    ).toMatchSnapshot();
  });

  it('QA dimensions', () => {
    expect(
      prompts(
        qaCalls(
          Array.from({ length: 5 }, (_, i) => assignment(`d${i}`)),
          '## Diff\n\n+x',
        ),
      ),
    ).toMatchSnapshot();
  });

  it('journal perspectives and synthesis', () => {
    expect(
      prompts(
        journalCalls(
          Array.from({ length: 3 }, (_, i) => assignment(`p${i}`)),
          '- run 1: ok',
        ),
      ),
    ).toMatchSnapshot();
    expect(journalPrompt('## Technical\n- a', '2026-12-03')).toMatchSnapshot();
    expect(perspectivesBundle([ok('technical', ' - a\n'), failed('process'), ok('insights', 'b')])).toMatchSnapshot();
  });
});

describe('assets and adapters', () => {
  it('mockup and prototype', () => {
    expect(mockupPrompt('a profile card with avatar')).toMatchSnapshot();
    expect(prototypePrompt({ feature: 'dark mode' }, [])).toMatchSnapshot();
    expect(
      prototypePrompt({ feature: 'dark mode', stack: 'React' }, [{ path: 'src/App.tsx', content: 'app' }]),
    ).toMatchSnapshot();
  });

  it('JSON reply instruction per adapter, the re-check line, the claude CLI system prompt', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    for (const w of ['claude', 'gemini', 'local'] as const)
      expect(withJsonReply('Question?', schema, w)).toMatchSnapshot();
    expect(RECHECK_INSTRUCTION).toMatchSnapshot();
    expect(CLAUDE_CLI_SYSTEM_PROMPT).toMatchSnapshot();
  });
});

describe('the template files', () => {
  it('every src/**/prompts/*.md is imported by the module beside it', () => {
    const src = join(import.meta.dirname, '../../src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' });
    const code = files
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(src, f), 'utf8'))
      .join('\n');
    const templates = files.filter((f) => /(?:^|\/)prompts\/[^/]+\.md$/.test(f));
    expect(templates.length).toBeGreaterThan(40);
    expect(templates.filter((t) => !code.includes(`'./prompts/${t.split('/').pop()}'`))).toEqual([]);
  });
});
