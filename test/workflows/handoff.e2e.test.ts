import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { hardStopBlock } from '../../src/workflows/handoff/hard-stop.ts';
import { checkHandoff, createReport, createSpec, phaseOf } from '../../src/workflows/handoff/store.ts';
import { validateSpec } from '../../src/workflows/handoff/validate-spec.ts';
import { validateReport } from '../../src/workflows/handoff/validate-report.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';

const GOOD_SPEC = `# Code Spec — Add retry to fetcher

**Spec ID:** CS-007
**Architect:** Claude Opus 4.6
**Created:** 2026-11-21T10:00:00Z
**Priority:** P1

## Objective

Retry transient HTTP failures so the sync job stops failing on blips.

## Files to Modify

### [MODIFY] \`src/fetch.ts\`

**Function:** \`fetchJson\`
**Change:** wrap the request in a retry loop (3 attempts, exponential backoff)

### [NEW] \`src/retry.ts\`

**Purpose:** a generic retry helper

### [DELETE] \`src/old-retry.ts\`

**Reason:** replaced by src/retry.ts

## Test Expectations

- [ ] \`retries_on_503\` — a 503 then 200 returns the body

## Guardrails — Do NOT

- change the public signature of fetchJson

## Verification Command

\`\`\`bash
npm test
\`\`\`

## Context (Read-Only Reference)

None.
`;

const GOOD_REPORT = `# Code Report — CS-007

**Coder:** Gemini 3.1 Pro
**Completed:** 2026-11-21T11:00:00Z
**Spec:** code_spec.md

## Summary

Added a retry helper and used it in fetchJson.

## Files Changed

| File | Action | Lines Changed |
|------|--------|---------------|
| \`src/fetch.ts\` | Modified | +5 / -2 |
| \`src/retry.ts\` | Created | +30 |
| \`src/old-retry.ts\` | Deleted | -20 |

## Test Results

\`\`\`
 ✓ retries_on_503
\`\`\`

**Result:** PASS

## Build Status

\`\`\`
tsc: 0 errors
\`\`\`

**Result:** CLEAN

## Blockers

None.

## Deviations from Spec

None — implemented exactly as specified.
`;

const codes = (r: { problems: Array<{ code: string; level: string }> }) =>
  r.problems.filter((p) => p.level === 'error').map((p) => p.code);
const spec = validateSpec(GOOD_SPEC).spec;

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

describe('Code Spec validation', () => {
  it('accepts a complete spec and lists its files', () => {
    const r = validateSpec(GOOD_SPEC);
    expect(codes(r)).toEqual([]);
    expect(r.spec.files).toEqual([
      { action: 'MODIFY', path: 'src/fetch.ts' },
      { action: 'NEW', path: 'src/retry.ts' },
      { action: 'DELETE', path: 'src/old-retry.ts' },
    ]);
  });

  it.each([
    [
      'a missing section',
      GOOD_SPEC.replace(/## Guardrails — Do NOT\n\n- change the public signature of fetchJson\n/, ''),
      'missing_section',
    ],
    [
      'an empty objective',
      GOOD_SPEC.replace('Retry transient HTTP failures so the sync job stops failing on blips.', ''),
      'empty_section',
    ],
    ['no file entries', GOOD_SPEC.replace(/### \[(MODIFY|NEW|DELETE)\]/g, '### '), 'no_files'],
    ['a MODIFY without **Change:**', GOOD_SPEC.replace('**Change:** wrap', 'wrap'), 'incomplete_file_entry'],
    ['no test expectation', GOOD_SPEC.replace('- [ ] `retries_on_503`', '- `retries_on_503`'), 'no_test_expectations'],
    [
      'no verification command',
      GOOD_SPEC.replace('```bash\nnpm test\n```', 'run the tests'),
      'no_verification_command',
    ],
    ['a missing header field', GOOD_SPEC.replace('**Priority:** P1\n', ''), 'missing_field'],
    ['a placeholder left in', GOOD_SPEC.replace('a generic retry helper', '[what this file does]'), 'placeholder'],
  ])('rejects %s', (_name, text, code) => {
    const r = validateSpec(text);
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain(code);
  });

  it('the untouched template fails on its placeholders', () => {
    const template = readFileSync(new URL('../../templates/code_spec.md', import.meta.url), 'utf8');
    expect(codes(validateSpec(template))).toContain('placeholder');
  });
});

describe('Code Report validation', () => {
  it('accepts a report that accounts for every spec file', () => {
    const repo = tempRepo();
    repos.push(repo);
    const r = validateReport(GOOD_REPORT, [spec], repo.dir);
    expect(codes(r)).toEqual([]);
    expect(r.testResult).toBe('PASS');
  });

  it.each([
    [
      'a spec file missing from the report',
      GOOD_REPORT.replace('| `src/retry.ts` | Created | +30 |\n', ''),
      'file_unaccounted',
    ],
    ['no test output', GOOD_REPORT.replace(' ✓ retries_on_503\n', ''), 'no_test_output'],
    ['no test result line', GOOD_REPORT.replace('**Result:** PASS', ''), 'no_test_result'],
    ['no build result', GOOD_REPORT.replace('**Result:** CLEAN', 'fine'), 'no_build_result'],
    ['an empty Blockers section', GOOD_REPORT.replace('## Blockers\n\nNone.\n', '## Blockers\n\n'), 'empty_section'],
    ['a missing Deviations section', GOOD_REPORT.replace(/## Deviations from Spec[\s\S]*$/, ''), 'missing_section'],
    ['the wrong spec id', GOOD_REPORT.replace('# Code Report — CS-007', '# Code Report — CS-008'), 'spec_id_mismatch'],
  ])('rejects %s', (_name, text, code) => {
    const r = validateReport(text, [spec], '/nonexistent');
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain(code);
  });

  it('a file left out of the table but explained under Deviations is accounted for', () => {
    const text = GOOD_REPORT.replace('| `src/old-retry.ts` | Deleted | -20 |\n', '').replace(
      'None — implemented exactly as specified.',
      'Kept `src/old-retry.ts`: still imported by the CLI.',
    );
    expect(codes(validateReport(text, [spec], '/nonexistent'))).toEqual([]);
  });

  it('TODO(architect) markers in changed files must be listed as blockers', () => {
    const repo = tempRepo();
    repos.push(repo);
    repo.write(
      'src/fetch.ts',
      'export async function fetchJson() {\n  // TODO(architect): should 429 be retried too?\n}\n',
    );
    const unlisted = validateReport(GOOD_REPORT, [spec], repo.dir);
    expect(codes(unlisted)).toEqual(['unlisted_todo']);
    expect(unlisted.todos).toEqual([
      { file: 'src/fetch.ts', line: 2, question: 'should 429 be retried too?', listed: false },
    ]);
    const listed = validateReport(
      GOOD_REPORT.replace('## Blockers\n\nNone.', '## Blockers\n\n- Should 429 be retried too? (src/fetch.ts)'),
      [spec],
      repo.dir,
    );
    expect(codes(listed)).toEqual([]);
    expect(listed.todos[0]!.listed).toBe(true);
  });
});

describe('handoff store', () => {
  it('spec new → report new → validate walks the phases', () => {
    const repo = tempRepo();
    repos.push(repo);
    const { id, files } = createSpec(repo.dir, { title: 'Retry', architect: 'Claude Opus 4.6' });
    expect(id).toBe('CS-001');
    expect(files[0]).toMatch(/\.claude\/mm\/handoffs\/CS-001\/code_spec\.md$/);
    expect(readFileSync(files[0]!, 'utf8')).toContain('**Architect:** Claude Opus 4.6');
    expect(phaseOf(checkHandoff(repo.dir, id)).phase).toBe('spec_draft'); // placeholders remain
    writeFileSync(files[0]!, GOOD_SPEC.replace('CS-007', 'CS-001'));
    expect(phaseOf(checkHandoff(repo.dir, id)).phase).toBe('coder');
    const report = createReport(repo.dir, id, { coder: 'Gemini 3.1 Pro' });
    const draft = readFileSync(report, 'utf8');
    expect(draft).toContain('| `src/retry.ts` | Created |');
    expect(draft).toContain('# Code Report — CS-001');
    expect(phaseOf(checkHandoff(repo.dir, id)).phase).toBe('report_draft');
    writeFileSync(report, GOOD_REPORT.replace('CS-007', 'CS-001'));
    expect(phaseOf(checkHandoff(repo.dir, id)).phase).toBe('architect_review');
    expect(createSpec(repo.dir, { title: 'Next', architect: 'x' }).id).toBe('CS-002');
  });

  it('batch mode numbers the specs and checks the header count', () => {
    const repo = tempRepo();
    repos.push(repo);
    const { id, files } = createSpec(repo.dir, { title: 'Big', architect: 'A', batch: 3 });
    expect(files.map((f) => f.split('/').pop())).toEqual(['code_spec_01.md', 'code_spec_02.md', 'code_spec_03.md']);
    expect(readFileSync(files[0]!, 'utf8')).toContain(
      '> **Batch Mode Active.** Implement specs 01 through 03 sequentially.',
    );
    expect(readFileSync(files[1]!, 'utf8')).not.toContain('Batch Mode Active');
    writeFileSync(files[0]!, readFileSync(files[0]!, 'utf8').replace('through 03', 'through 04'));
    expect(checkHandoff(repo.dir, id).batchProblems.map((p) => p.code)).toEqual(['batch_count']);
  });
});

describe('HARD STOP block', () => {
  it('matches the design protocol word for word', () => {
    expect(hardStopBlock('coder', 'Gemini 3.1 Pro (preview)')).toBe(
      '🛑 HARD STOP: Switch to Coder Model\n\nNext: Coder — Gemini 3.1 Pro (preview)\nTask: Implement Code Spec\n\n' +
        'Action Required: Switch the model selector to Gemini 3.1 Pro (preview),\nthen reply with "Model Confirmed".',
    );
    expect(hardStopBlock('architect', 'Claude Opus 4.6')).toContain(
      'Next: Architect — Claude Opus 4.6\nTask: Review Code Report',
    );
  });
});
