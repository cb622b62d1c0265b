import { EXIT_CODE_HELP } from './exit-codes.ts';
import { COMMAND_GROUPS, COMMANDS } from './commands.ts';
import { GLOBAL_FLAGS, mergeFlags, type CommandSpec, type FlagSpec } from './spec.ts';

function flagLine(f: FlagSpec): [string, string] {
  const left = `${f.short ? `-${f.short}, ` : ''}--${f.name}${f.type === 'boolean' ? '' : ` ${f.value ?? 'VALUE'}`}${f.multiple ? ' …' : ''}`;
  const choices = f.choices ? ` (${f.choices.join('|')})` : '';
  return [left, `${f.description}${choices}`];
}

function table(rows: Array<[string, string]>, indent = '  '): string {
  const width = Math.min(32, Math.max(...rows.map(([l]) => l.length)));
  return rows
    .map(([l, r]) =>
      l.length > width ? `${indent}${l}\n${indent}${' '.repeat(width)}  ${r}` : `${indent}${l.padEnd(width)}  ${r}`,
    )
    .join('\n');
}

export function mainHelp(version: string): string {
  return [
    `mm ${version} — use other models from Claude Code, on purpose: one config, opt-in checkpoints, tests as referee.`,
    '',
    'Usage: mm <command> [flags]',
    '',
    ...COMMAND_GROUPS.flatMap((g) => [`${g.title}:`, table(g.commands.map((c) => [c.name, c.summary])), '']),
    'Global flags:',
    table([...GLOBAL_FLAGS.map(flagLine), ['--version', 'print the version']]),
    '',
    'Exit codes:',
    table(EXIT_CODE_HELP.map(([code, text]) => [String(code), text])),
    '',
    'Config: .claude/config/multi-model.toml (found walking up from the working directory).',
    'Without it, every external model is off and mm answers "Claude" — plain Claude Code.',
    'Run `mm <command> --help` for a command, `mm config init` to start.',
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  const positionals = (spec.positionals ?? [])
    .map((p) => (p.required ? ` <${p.name}>` : ` [${p.name}]`) + (p.variadic ? '…' : ''))
    .join('');
  const lines = [`Usage: mm ${spec.name}${positionals} [flags]`, '', spec.summary + '.'];
  if (spec.description) lines.push('', wrap(spec.description));
  if (spec.positionals?.length)
    lines.push('', 'Arguments:', table(spec.positionals.map((p) => [p.name, p.description])));
  lines.push('', 'Flags:', table(mergeFlags(spec.flags).map(flagLine)));
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

export function groupHelp(prefix: string, specs: CommandSpec[]): string {
  return [`Usage: mm ${prefix} <command> [flags]`, '', 'Commands:', table(specs.map((c) => [c.name, c.summary]))].join(
    '\n',
  );
}

function wrap(text: string, width = 88): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join('\n');
}

/** The command table as data, for the pack's lint and for Claude (`mm help --json`). */
export function commandTableJson(): unknown {
  return COMMANDS.map((c) => ({
    name: c.name,
    summary: c.summary,
    positionals: c.positionals ?? [],
    flags: mergeFlags(c.flags).map((f) => ({
      name: f.name,
      type: f.type,
      short: f.short,
      multiple: f.multiple ?? false,
      choices: f.choices,
    })),
  }));
}
