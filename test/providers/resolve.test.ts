import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../../src/providers/resolve.ts';
import { contextFor } from '../helpers/invoke-context.ts';

describe('resolveTarget', () => {
  const ctx = contextFor('[models]\nlocal_llm_enabled = true\n');

  it('a provider name with its own kind of model', () => {
    expect(resolveTarget('codex', { model: 'gpt-5.2', task: 'ask' }, ctx)).toMatchObject({
      adapter: 'codex',
      model: 'gpt-5.2',
    });
    expect(resolveTarget('local', { task: 'ask' }, ctx)).toMatchObject({ adapter: 'local', model: 'local-llm' });
    expect(resolveTarget('claude', { model: 'claude-opus-4-6', task: 'ask' }, ctx)).toMatchObject({
      adapter: 'claude',
      model: 'claude-opus-4-6',
    });
  });

  it("refuses another adapter's model instead of sending it to the wrong API or answering with the local model", () => {
    expect(() => resolveTarget('local', { model: 'gpt-5.2', task: 'ask' }, ctx)).toThrow(
      expect.objectContaining({ kind: 'usage', message: '--model gpt-5.2 is served by codex, not local' }),
    );
    expect(() => resolveTarget('claude', { model: 'gemini-3.1-pro', task: 'ask' }, ctx)).toThrow(
      /served by gemini, not claude/,
    );
  });
});
