import { describe, expect, it } from 'vitest';
import { checkStructuredReply } from '../../src/providers/structured.ts';
import { jsonSchemaOf, planVerdictSchema } from '../../src/workflows/review/verdicts.ts';

describe('checkStructuredReply', () => {
  const schema = jsonSchemaOf(planVerdictSchema);
  const finding = { severity: 'high', area: 'tests', detail: 'd', recommendation: 'r' };

  it('accepts a strict-mode key ("or null") that a model without strict decoding left out', async () => {
    expect(
      (await checkStructuredReply(JSON.stringify({ verdict: 'CONCERN', summary: 's', findings: [finding] }), schema))
        .ok,
    ).toBe(true);
    expect(
      (
        await checkStructuredReply(
          JSON.stringify({ verdict: 'CONCERN', summary: 's', findings: [{ ...finding, file: null }] }),
          schema,
        )
      ).ok,
    ).toBe(true);
  });

  it('still rejects a missing required key, an unknown key and a bad enum', async () => {
    expect((await checkStructuredReply(JSON.stringify({ verdict: 'PASS', findings: [] }), schema)).ok).toBe(false);
    expect(
      (await checkStructuredReply(JSON.stringify({ verdict: 'PASS', summary: 's', findings: [], extra: 1 }), schema))
        .ok,
    ).toBe(false);
    expect(
      (await checkStructuredReply(JSON.stringify({ verdict: 'MAYBE', summary: 's', findings: [] }), schema)).ok,
    ).toBe(false);
  });
});
