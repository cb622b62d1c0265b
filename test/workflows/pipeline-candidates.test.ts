import { describe, expect, it } from 'vitest';
import { changedLines, pickRecommended, type CandidateCheck } from '../../src/workflows/pipeline/candidates.ts';

const patch = (adds: number) =>
  [
    'diff --git a/f b/f',
    '--- a/f',
    '+++ b/f',
    '@@ -1 +1 @@',
    '-old',
    ...Array.from({ length: adds }, (_, i) => `+new ${i}`),
  ].join('\n');
const check = (role: string, adds: number, passed: boolean[]): CandidateCheck => ({
  role,
  files: ['f'],
  patch: patch(adds),
  verification: passed.map((p) => ({
    command: 'npm test',
    passed: p,
    exitCode: p ? 0 : 1,
    timedOut: false,
    outputTail: '',
  })),
});

describe('pipeline recommendation (tests decide, smaller diff breaks ties)', () => {
  it('counts added and removed lines, not file headers', () => {
    expect(changedLines(patch(3))).toBe(4);
  });

  it('a failing patch is never recommended, however small', () => {
    const r = pickRecommended([check('implementer', 9, [true]), check('optimizer', 1, [false])]);
    expect(r).toEqual({ role: 'implementer', why: 'the only patch that passed verification' });
  });

  it('among passing patches the smaller diff wins, whatever the role order', () => {
    const r = pickRecommended([check('implementer', 9, [true, true]), check('optimizer', 2, [true, true])]);
    expect(r?.role).toBe('optimizer');
    expect(r?.why).toBe('passed verification, smallest of 2 (3 changed lines)');
  });

  it('a tie keeps role order; no verification means "applied"; nothing passing → none', () => {
    expect(pickRecommended([check('implementer', 2, []), check('optimizer', 2, [])])).toEqual({
      role: 'implementer',
      why: 'applied, smallest of 2 (3 changed lines)',
    });
    expect(pickRecommended([check('implementer', 2, [false])])).toBeUndefined();
    expect(pickRecommended([{ ...check('implementer', 0, []), patch: '' }])).toBeUndefined();
  });
});
