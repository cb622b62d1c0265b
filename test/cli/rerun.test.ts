import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args.ts';
import { COMMANDS } from '../../src/cli/commands.ts';
import { rerunCommand, shellQuote } from '../../src/cli/rerun.ts';

const spec = (name: string) => COMMANDS.find((c) => c.name === name)!;

describe('re-run suggestions', () => {
  it('quote values with spaces and quotes so the suggestion runs as printed', () => {
    const args = {
      flags: { error: 'my err.txt', tried: "it's.md", option: 'codex', yes: true, json: true },
      positionals: [],
    };
    expect(rerunCommand(spec('escalate debug'), args)).toBe(
      `mm escalate debug --error 'my err.txt' --tried 'it'\\''s.md' --option codex`,
    );
  });

  it('keep every flag the first run was given, repeatable ones repeated, and the positionals', () => {
    const parsed = parseCommandArgs(spec('review plan'), ['docs/my plan.md', '--with', 'gemini', '--config', 'x.toml']);
    expect(rerunCommand(spec('review plan'), parsed)).toBe(
      `mm review plan 'docs/my plan.md' --with gemini --config x.toml`,
    );
  });

  it('leave safe words bare', () => {
    expect(shellQuote('src/a-b_c.ts')).toBe('src/a-b_c.ts');
    expect(shellQuote('$(rm -rf ~)')).toBe(`'$(rm -rf ~)'`);
  });
});

describe('old flag spellings', () => {
  it('are accepted as hidden aliases and land on the new name', () => {
    const parsed = parseCommandArgs(spec('escalate debug'), ['--cycles', '2', '--files', 'a.ts', '--file', 'b.ts']);
    expect(parsed.flags).toMatchObject({ 'debug-cycles': 2, file: ['b.ts', 'a.ts'] });
  });
});
