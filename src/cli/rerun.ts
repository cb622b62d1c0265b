/**
 * The command a user is told to run again ("… then run `mm review diff --base main --yes`"),
 * built from the command table and the parsed arguments so every flag that shaped the first
 * run is kept, and every value is shell-quoted (`--error 'my err.txt'`).
 */
import { mergeFlags, type CommandSpec, type ParsedArgs } from './spec.ts';

/** Flags that never belong in the suggested command: output format, help, and the confirmation itself. */
const NOT_REPEATED = new Set(['json', 'help', 'yes']);

export function rerunCommand(
  spec: CommandSpec,
  args: Pick<ParsedArgs, 'flags' | 'positionals'>,
  set: Record<string, string | number | boolean> = {},
): string {
  const words = ['mm', spec.name, ...args.positionals.map(shellQuote)];
  const values = { ...args.flags, ...set };
  for (const f of mergeFlags(spec.flags)) {
    const v = values[f.name];
    if (NOT_REPEATED.has(f.name) || v === undefined || v === false) continue;
    if (v === true) words.push(`--${f.name}`);
    else for (const one of Array.isArray(v) ? v : [v]) words.push(`--${f.name}`, shellQuote(String(one)));
  }
  return words.join(' ');
}

/** POSIX single quotes (a library would add nothing): safe words stay bare, anything else is quoted. */
export function shellQuote(word: string): string {
  if (/^[\w./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
