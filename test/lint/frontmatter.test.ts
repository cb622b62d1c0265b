import { describe, expect, it } from 'vitest';
import { parseFrontmatter } from '../../src/lint/lint.ts';

const problem = (source: string) => {
  const r = parseFrontmatter(source);
  if (!('error' in r)) throw new Error('parsed');
  return r;
};

describe('parseFrontmatter (yaml, with positions in the file)', () => {
  it('gives each key and value its line and column in the file', () => {
    const r = parseFrontmatter('---\nname: demo\ndescription: >\n  Use when x.\ntools:\n  - Read\n---\n\n# Body\n');
    if ('error' in r) throw new Error(r.error);
    expect(r.data).toEqual({ name: 'demo', description: 'Use when x.\n', tools: ['Read'] });
    expect(r.keys.get('name')).toEqual({ line: 2, column: 1, value: { line: 2, column: 7 } });
    expect(r.keys.get('description')!.value).toEqual({ line: 3, column: 14 });
    expect(r.keys.get('tools')!.value).toEqual({ line: 6, column: 3 });
    expect(r.bodyLine).toBe(8);
    expect(r.body).toBe('\n# Body\n');
  });

  it('a YAML error names the line and column in the file, not in the block', () => {
    expect(problem('---\nname: demo\ndescription: a\n  bad: [x\n---\n')).toEqual({
      error: 'frontmatter is not valid YAML: Nested mappings are not allowed in compact mappings',
      line: 3,
      column: 14,
    });
  });

  it('a repeated key is an error at the second one', () => {
    expect(problem('---\nname: a\ndescription: x\nname: b\n---\n')).toMatchObject({
      error: 'frontmatter is not valid YAML: Map keys must be unique',
      line: 4,
      column: 1,
    });
  });

  it('a block that is not key: value lines, a missing or unclosed block', () => {
    expect(problem('---\n- a\n- b\n---\n')).toEqual({
      error: 'frontmatter must be "key: value" lines',
      line: 2,
      column: 1,
    });
    expect(problem('# no frontmatter\n')).toMatchObject({ line: 1, error: expect.stringContaining('missing') });
    expect(problem('---\nname: a\n----\n')).toMatchObject({ line: 1, error: 'frontmatter is not closed with ---' });
  });

  it('an empty block is no keys', () => {
    const r = parseFrontmatter('---\n---\nbody');
    expect(r).toMatchObject({ data: {}, body: 'body', bodyLine: 3 });
  });
});
