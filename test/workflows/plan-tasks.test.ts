import { describe, expect, it } from 'vitest';
import { countPlanTasks, countTableRows } from '../../src/workflows/review/plan-review.ts';

const table = (rows: number) =>
  [
    '| # | Task | Owner |',
    '| --- | :--- | ---: |',
    ...Array.from({ length: rows }, (_, i) => `| ${i + 1} | do thing ${i + 1} | a |`),
  ].join('\n');

describe('countPlanTasks', () => {
  it('counts the rows of a task table (header and separator excluded)', () => {
    expect(countPlanTasks(`# Plan\n\n${table(25)}\n\nDone.\n`)).toBe(25);
  });

  it('adds up several tables, stops at the end of each, and ignores tables in code fences', () => {
    const plan = [table(3), '', 'Between tables.', '', table(4), '', '```md', table(9), '```'].join('\n');
    expect(countTableRows(plan)).toBe(7);
  });

  it('a horizontal rule or front matter is not a table; pipes without a separator are not rows', () => {
    expect(countTableRows('---\ntitle: x\n---\n| a | b |\n| c | d |\n')).toBe(0);
  });

  it('still counts checkboxes, task headings and numbered items, taking the most used style', () => {
    expect(countPlanTasks('- [ ] a\n- [x] b\n- [ ] c\n')).toBe(3);
    expect(countPlanTasks('## Task 1\n## Task 2\n')).toBe(2);
    expect(countPlanTasks(`1. a\n2. b\n\n${table(5)}`)).toBe(5);
  });
});
