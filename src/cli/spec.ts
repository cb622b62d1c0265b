/**
 * The shape of the command table (a command, its flags and positionals, the handler it
 * loads) and the flags every command accepts. Types and data only: handlers, tables, the
 * parser and the pack lint import this, never the table itself, so none of them forms a
 * cycle with the table that loads the handlers.
 */
/** `file`: a path the parser reads (UTF-8) relative to the cwd; the text is in ParsedArgs.text, the path stays in flags. */
type FlagType = 'string' | 'boolean' | 'integer' | 'file';

export interface FlagSpec {
  name: string;
  type: FlagType;
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help, e.g. FILE. */
  value?: string;
  choices?: readonly string[];
  description: string;
  /** Old spellings still accepted, never shown in help or allowed in the pack's docs. */
  aliases?: readonly string[];
}

interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | number | string[] | undefined>;
  positionals: string[];
  /** The contents of every `file` flag given, by flag name (one entry per path for repeatable ones). */
  text: Record<string, string | string[]>;
}

export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** --config FILE, when given. */
  configPath?: string;
  json: boolean;
  /** stdout is a terminal (progress and colour are allowed). */
  isTTY: boolean;
  /** Temp folders the caller made for this command (the MCP server's prompt files): a background job removes them when it ends. */
  jobTemp?: string[];
  /** The command being run (for re-run suggestions built from its flags). */
  command: CommandSpec;
  /** The whole command table (for `mm lint`), passed down so no handler imports the table that loads it. */
  commands: readonly CommandSpec[];
}

export type Handler = (args: ParsedArgs, ctx: CommandContext) => Promise<number>;

export interface CommandSpec {
  /** Words after `mm`, e.g. "config show". */
  name: string;
  summary: string;
  description?: string;
  flags: FlagSpec[];
  positionals?: PositionalSpec[];
  examples?: string[];
  /** Reads its input on stdin when no --prompt-file is given (a background job gets it as a file). */
  readsStdin?: boolean;
  load: () => Promise<Handler>;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  {
    name: 'config',
    type: 'string',
    value: 'FILE',
    description: 'use this config file (also: MM_CONFIG); default: nearest .claude/config/multi-model.toml',
  },
  { name: 'json', type: 'boolean', description: 'machine-readable output on stdout' },
  { name: 'help', type: 'boolean', short: 'h', description: 'show help for the command' },
];

/** A command's own flags followed by the global ones it does not redefine. */
export function mergeFlags(flags: FlagSpec[]): FlagSpec[] {
  const names = new Set(flags.map((f) => f.name));
  return [...flags, ...GLOBAL_FLAGS.filter((g) => !names.has(g.name))];
}
