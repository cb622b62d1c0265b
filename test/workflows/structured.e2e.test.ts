import { describe, expect, it } from 'vitest';
import { extractJson, invokeStructured } from '../../src/workflows/structured.ts';
import { diffVerdictSchema, jsonSchemaOf, planVerdictSchema } from '../../src/workflows/review/verdicts.ts';
import { BLOCK, CONCERN, FAILURE_STATUSES, ISSUES, LGTM, PASS, fakeCtx, scripted } from '../fakes/scripted-invoke.ts';

const req = { prompt: 'p', cwd: '/', task: 't' };

describe('invokeStructured', () => {
  it.each([PASS, CONCERN, BLOCK])('believes a valid plan verdict ($verdict)', async (reply) => {
    const { invoke } = scripted([{ json: reply }]);
    const r = await invokeStructured(invoke, 'codex', req, fakeCtx(), planVerdictSchema);
    expect(r.ok && r.value.verdict).toBe(reply.verdict);
  });

  it.each([LGTM, ISSUES()])('believes a valid diff verdict ($verdict)', async (reply) => {
    const { invoke } = scripted([{ json: reply }]);
    const r = await invokeStructured(invoke, 'gemini', req, fakeCtx(), diffVerdictSchema);
    expect(r.ok && r.value.verdict).toBe(reply.verdict);
  });

  it('reads JSON inside a code fence or surrounded by prose', async () => {
    const { invoke } = scripted([{ text: `Here you go:\n\`\`\`json\n${JSON.stringify(PASS)}\n\`\`\`\nthanks` }]);
    expect((await invokeStructured(invoke, 'codex', req, fakeCtx(), planVerdictSchema)).ok).toBe(true);
  });

  it.each([
    ['malformed JSON', '{"verdict": "PASS", "findings": ['],
    ['prose only', 'PASS — looks good to me'],
    ['wrong verdict word', JSON.stringify({ ...PASS, verdict: 'OK' })],
    ['extra keys', JSON.stringify({ ...PASS, mood: 'happy' })],
    ['empty reply', ''],
  ])('treats %s as invalid_output, never a verdict', async (_name, text) => {
    const { invoke } = scripted([{ text }]);
    const r = await invokeStructured(invoke, 'codex', req, fakeCtx(), planVerdictSchema);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe('invalid_output');
  });

  it('rejects an LGTM that carries a serious finding', async () => {
    const { invoke } = scripted([{ json: { ...ISSUES(), verdict: 'LGTM' } }]);
    const r = await invokeStructured(invoke, 'gemini', req, fakeCtx(), diffVerdictSchema);
    expect(r.ok).toBe(false);
  });

  it.each(FAILURE_STATUSES)('passes a %s status through: could not run is not a verdict', async (status) => {
    const { invoke } = scripted([{ status }]);
    const r = await invokeStructured(invoke, 'codex', req, fakeCtx(), planVerdictSchema);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe(status);
  });

  it('turns a provider that throws into "failed"', async () => {
    const { invoke } = scripted([{ throws: 'spawn ENOENT' }]);
    const r = await invokeStructured(invoke, 'codex', req, fakeCtx(), planVerdictSchema);
    expect(!r.ok && r.status).toBe('failed');
  });
});

describe('verdict JSON Schemas', () => {
  it('are strict: every property required, optional ones nullable, no extra keys', () => {
    const plan = jsonSchemaOf(planVerdictSchema) as any;
    const finding = plan.properties.findings.items;
    expect(finding.required).toEqual([
      'severity',
      'area',
      'detail',
      'recommendation',
      'file',
      'line_start',
      'line_end',
      'confidence',
    ]);
    expect(finding.properties.confidence.anyOf[0]).toMatchObject({ type: 'number', minimum: 0, maximum: 1 });
    expect(finding.additionalProperties).toBe(false);
    expect(JSON.stringify(finding.properties.file)).toContain('"null"');
    const diff = jsonSchemaOf(diffVerdictSchema) as any;
    expect(diff.properties.verdict.enum).toEqual(['LGTM', 'ISSUES']);
    expect(diff.properties.findings.items.required).toEqual([
      'severity',
      'file',
      'line_start',
      'line_end',
      'detail',
      'recommendation',
      'confidence',
    ]);
  });

  it('a confidence outside 0–1 or an inverted plan line range is refused', () => {
    const finding = { ...CONCERN.findings[0], file: null };
    expect(planVerdictSchema.safeParse({ ...CONCERN, findings: [{ ...finding, confidence: 0.7 }] }).success).toBe(true);
    expect(planVerdictSchema.safeParse({ ...CONCERN, findings: [{ ...finding, confidence: 1.5 }] }).success).toBe(
      false,
    );
    expect(
      planVerdictSchema.safeParse({ ...CONCERN, findings: [{ ...finding, line_start: 9, line_end: 3 }] }).success,
    ).toBe(false);
    expect(
      planVerdictSchema.safeParse({ ...CONCERN, findings: [{ ...finding, line_start: 3, line_end: 9 }] }).success,
    ).toBe(true);
  });

  it('accept a null optional field (what strict providers send)', () => {
    expect(
      planVerdictSchema.safeParse({ ...CONCERN, findings: [{ ...CONCERN.findings[0], file: null }] }).success,
    ).toBe(true);
  });
});

describe('extractJson', () => {
  it('returns undefined when there is no object', () => expect(extractJson('no json here')).toBeUndefined());
});
