import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../src/util/template.ts';

describe('fillTemplate', () => {
  it('replaces every placeholder, each as often as it occurs, and drops the file’s final newline', () => {
    expect(fillTemplate('Review {{file}}:\n{{diff}}\nagain {{file}}\n', { file: 'a.ts', diff: '+x' })).toBe(
      'Review a.ts:\n+x\nagain a.ts',
    );
    expect(fillTemplate('two\n\n')).toBe('two\n');
  });

  it('throws at fill time when a placeholder has no value, naming it and the template', () => {
    expect(() => fillTemplate('You are the {{role}}.\nTask: {{task}}\n', { role: 'critic' })).toThrow(
      'prompt template "You are the {{role}}.…": no value for {{task}}',
    );
  });

  it('throws when given a value for a placeholder the template does not have', () => {
    expect(() => fillTemplate('Task: {{task}}\n', { task: 't', tsak: 'typo' })).toThrow('has no placeholder {{tsak}}');
    expect(() => fillTemplate('no placeholders\n', { extra: '' })).toThrow('has no placeholder {{extra}}');
  });

  it('removes an optional block’s line when its value is empty, and keeps it otherwise', () => {
    const t = 'head\n{{steer?}}\ntail\n';
    expect(fillTemplate(t, { steer: '' })).toBe('head\ntail');
    expect(fillTemplate(t, { steer: 'focus\non auth' })).toBe('head\nfocus\non auth\ntail');
  });

  it('keeps the line of an ordinary placeholder whose value is empty (an empty diff is still shown as empty)', () => {
    expect(fillTemplate('<<<DIFF\n{{diff}}\nDIFF>>>\n', { diff: '' })).toBe('<<<DIFF\n\nDIFF>>>');
  });

  it('inserts values verbatim: placeholders and replacement patterns inside a value are not expanded', () => {
    expect(fillTemplate('{{a}} {{b}}\n', { a: '{{b}}', b: "$& $1 $'" })).toBe("{{b}} $& $1 $'");
  });

  it('requires a value for an optional block too (empty means "leave it out", missing is a bug)', () => {
    expect(() => fillTemplate('x\n{{steer?}}\n')).toThrow('no value for {{steer}}');
  });
});
