/**
 * The tools `mm mcp` serves, as data: each is one `mm` command (same secrets guard,
 * budgets, ledger and run store as the CLI, because it IS the CLI's handler). Definitions
 * are hand-written JSON Schema, kept small: every client loads them into every session
 * (test/mcp asserts all of them together stay ≤ 1,000 tokens).
 */
export interface ToolDef {
  name: string;
  description: string;
  inputSchema: { type: 'object'; properties: Record<string, Record<string, unknown>>; required?: string[] };
}

const str = (description: string) => ({ type: 'string', description });
const yes = { type: 'boolean', description: 'the user confirmed (after exit 3)' };

export const MCP_TOOLS: ToolDef[] = [
  {
    name: 'route',
    description: 'Which model, effort and checkpoint suit a task.',
    inputSchema: { type: 'object', properties: { task: str('the task') }, required: ['task'] },
  },
  {
    name: 'check',
    description: 'Which checkpoints the current git change calls for.',
    inputSchema: { type: 'object', properties: { base: str('diff against this ref') } },
  },
  {
    name: 'ask',
    description: 'Ask another model; fallbacks, secrets withheld.',
    inputSchema: {
      type: 'object',
      properties: {
        target: str('codex|gemini|local|claude or a model id'),
        prompt: str('the prompt'),
        files: { type: 'array', items: { type: 'string' }, description: 'files to attach' },
      },
      required: ['target', 'prompt'],
    },
  },
  {
    name: 'review_diff',
    description: 'Cross-model review of the current git change.',
    inputSchema: {
      type: 'object',
      properties: { with: { enum: ['gemini', 'codex', 'both'] }, base: str('diff against this ref'), yes },
    },
  },
  {
    name: 'review_plan',
    description: 'External review of a plan file.',
    inputSchema: {
      type: 'object',
      properties: { file: str('plan file'), with: { enum: ['codex', 'gemini'] }, yes },
      required: ['file'],
    },
  },
  {
    name: 'consensus',
    description: 'Ask several models; synthesise agreement.',
    inputSchema: {
      type: 'object',
      properties: { prompt: str('the question'), models: str('comma-separated ids') },
      required: ['prompt'],
    },
  },
];

type Args = Record<string, unknown>;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const opt = (flag: string, v: unknown): string[] => (text(v) ? [flag, v as string] : []);

/**
 * The `mm` argv for a tool call. `promptFile(text)` stores a prompt where `--prompt-file`
 * can read it (the server's stdin is the protocol channel, so nothing is piped).
 */
export function argvFor(name: string, args: Args, promptFile: (text: string) => string): string[] {
  const need = (key: string): string => {
    const v = text(args[key]);
    if (!v) throw new Error(`${name}: "${key}" is required`);
    return v;
  };
  const confirmed = args.yes === true ? ['--yes'] : [];
  switch (name) {
    case 'route':
      return ['route', '--task', need('task'), '--json'];
    case 'check':
      return ['check', ...opt('--base', args.base), '--json'];
    case 'ask': {
      const files = Array.isArray(args.files) ? args.files.filter((f): f is string => typeof f === 'string') : [];
      const target = need('target');
      return [
        'ask',
        target,
        '--prompt-file',
        promptFile(need('prompt')),
        ...files.flatMap((f) => ['--file', f]),
        '--json',
      ];
    }
    case 'review_diff':
      return ['review', 'diff', ...opt('--with', args.with), ...opt('--base', args.base), ...confirmed, '--json'];
    case 'review_plan':
      return ['review', 'plan', need('file'), ...opt('--with', args.with), ...confirmed, '--json'];
    case 'consensus':
      return ['consensus', '--prompt-file', promptFile(need('prompt')), ...opt('--models', args.models), '--json'];
    default:
      throw new Error(`unknown tool "${name}"; tools: ${MCP_TOOLS.map((t) => t.name).join(', ')}`);
  }
}
