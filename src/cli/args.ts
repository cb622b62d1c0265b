import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MmError } from '../util/errors.ts';
import { didYouMean } from '../util/did-you-mean.ts';
import { readInputCapped } from '../util/read-input.ts';
import { mergeFlags, type CommandSpec, type FlagSpec, type ParsedArgs } from './spec.ts';

/** Parses argv (after the command words) against the command's flags; every mistake is a usage error. */
export function parseCommandArgs(spec: CommandSpec, argv: string[], cwd = process.cwd()): ParsedArgs {
  const specs = mergeFlags(spec.flags);
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const f of specs) {
    const type = f.type === 'boolean' ? 'boolean' : 'string';
    options[f.name] = { type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) };
    for (const alias of f.aliases ?? []) options[alias] = { type, ...(f.multiple ? { multiple: true } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw usageErrorFrom(e as Error & { code?: string }, spec, specs);
  }
  const flags: ParsedArgs['flags'] = {};
  for (const f of specs) {
    const raw = valueOf(parsed.values, f);
    if (raw === undefined) continue;
    flags[f.name] = f.type === 'integer' ? toInteger(spec, f, raw as string) : (raw as string | boolean | string[]);
    if (f.choices && typeof raw === 'string' && !f.choices.includes(raw)) {
      throw new MmError('usage', `mm ${spec.name}: --${f.name} must be one of ${f.choices.join(', ')} (got "${raw}")`);
    }
  }
  const positionals = parsed.positionals;
  const allowed = spec.positionals ?? [];
  const required = allowed.filter((p) => p.required);
  if (positionals.length < required.length) {
    throw new MmError('usage', `mm ${spec.name}: missing <${required[positionals.length]!.name}>`, {
      hint: `see mm ${spec.name} --help`,
    });
  }
  if (!allowed.some((p) => p.variadic) && positionals.length > allowed.length) {
    throw new MmError('usage', `mm ${spec.name}: unexpected argument "${positionals[allowed.length]}"`, {
      hint: `see mm ${spec.name} --help`,
    });
  }
  const text: ParsedArgs['text'] = {};
  for (const f of specs) {
    const given = flags[f.name];
    if (f.type !== 'file' || given === undefined) continue;
    text[f.name] = Array.isArray(given)
      ? given.map((p) => readFlagFile(f, p, cwd))
      : readFlagFile(f, String(given), cwd);
  }
  return { flags, positionals, text };
}

function toInteger(spec: CommandSpec, flag: FlagSpec, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) {
    throw new MmError('usage', `mm ${spec.name}: --${flag.name} needs a whole number ≥ 0 (got "${raw}")`);
  }
  return Number.parseInt(raw, 10);
}

function usageErrorFrom(e: Error & { code?: string }, spec: CommandSpec, specs: FlagSpec[]): MmError {
  const hint = `see mm ${spec.name} --help`;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const name = /'(-[^'\s]+)'/.exec(e.message)?.[1] ?? '';
    const suggestion = didYouMean(
      name.replace(/^-+/, ''),
      specs.map((f) => f.name),
    );
    return new MmError(
      'usage',
      `mm ${spec.name}: unknown flag ${name}${suggestion ? ` (did you mean --${suggestion}?)` : ''}`,
      { hint },
    );
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /'(-[^'\s,]+)/.exec(e.message)?.[1] ?? 'a flag';
    const flag = specs.find((f) => `--${f.name}` === name || `-${f.short}` === name);
    const what = flag?.type === 'boolean' ? 'takes no value' : `needs a value${flag?.value ? ` (${flag.value})` : ''}`;
    return new MmError('usage', `mm ${spec.name}: ${name} ${what}`, { hint });
  }
  return new MmError('usage', `mm ${spec.name}: ${e.message}`, { hint });
}

/** The flag's value under its name or any old spelling (repeatable flags collect all of them). */
function valueOf(values: ReturnType<typeof parseArgs>['values'], f: FlagSpec): unknown {
  const given = [f.name, ...(f.aliases ?? [])].map((n) => values[n]).filter((v) => v !== undefined);
  if (f.multiple) return given.length ? given.flat() : undefined;
  return given.at(-1);
}

/** One place that reads the file a flag names (size-capped), with one message when it cannot. */
function readFlagFile(flag: FlagSpec, path: string, cwd: string): string {
  try {
    return readInputCapped(resolve(cwd, path), `--${flag.name} ${path}`);
  } catch (e) {
    if (e instanceof MmError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : (e as Error).message;
    throw new MmError('input', `--${flag.name} ${path}: ${why}`);
  }
}
