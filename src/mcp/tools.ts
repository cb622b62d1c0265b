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
// Long tools only: a job cannot ask, so review_* need yes too (MCP clients time out around 60 s).
const background = { type: 'boolean', description: 'return a job id at once; then the jobs tool' };
/** `jobs wait` gives up before a typical client request timeout (60 s); the job keeps running. */
const JOBS_WAIT_DEFAULT_S = 50;

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
        background,
      },
      required: ['target', 'prompt'],
    },
  },
  {
    name: 'review_diff',
    description: 'Cross-model review of the current git change.',
    inputSchema: {
      type: 'object',
      properties: {
        with: { enum: ['gemini', 'codex', 'both'] },
        base: str('diff against this ref'),
        yes,
        background,
      },
    },
  },
  {
    name: 'review_plan',
    description: 'External review of a plan file.',
    inputSchema: {
      type: 'object',
      properties: { file: str('plan file'), with: { enum: ['codex', 'gemini'] }, yes, background },
      required: ['file'],
    },
  },
  {
    name: 'consensus',
    description: 'Ask several models; synthesise agreement.',
    inputSchema: {
      type: 'object',
      properties: { prompt: str('the question'), models: str('comma-separated ids'), background },
      required: ['prompt'],
    },
  },
  {
    name: 'jobs',
    description: 'Background jobs: list, status, result, wait (exit 124: still running), cancel.',
    inputSchema: {
      type: 'object',
      properties: {
        action: { enum: ['list', 'status', 'result', 'wait', 'cancel'] },
        id: str('job id (default: newest)'),
        timeout: { type: 'integer', description: `wait: seconds (default ${JOBS_WAIT_DEFAULT_S})` },
      },
      required: ['action'],
    },
  },
];

const JOB_ACTIONS = ['list', 'status', 'result', 'wait', 'cancel'];

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
  const long = (argv: string[]): string[] => (args.background === true ? [...argv, '--background'] : argv);
  switch (name) {
    case 'route':
      return ['route', '--task', need('task'), '--json'];
    case 'check':
      return ['check', ...opt('--base', args.base), '--json'];
    case 'ask': {
      const files = Array.isArray(args.files) ? args.files.filter((f): f is string => typeof f === 'string') : [];
      const target = need('target');
      return long([
        'ask',
        target,
        '--prompt-file',
        promptFile(need('prompt')),
        ...files.flatMap((f) => ['--file', f]),
        '--json',
      ]);
    }
    case 'review_diff':
      return long(['review', 'diff', ...opt('--with', args.with), ...opt('--base', args.base), ...confirmed, '--json']);
    case 'review_plan':
      return long(['review', 'plan', need('file'), ...opt('--with', args.with), ...confirmed, '--json']);
    case 'consensus':
      return long([
        'consensus',
        '--prompt-file',
        promptFile(need('prompt')),
        ...opt('--models', args.models),
        '--json',
      ]);
    case 'jobs': {
      const action = need('action');
      if (!JOB_ACTIONS.includes(action)) throw new Error(`jobs: "action" must be one of ${JOB_ACTIONS.join(', ')}`);
      const id = action === 'list' ? [] : text(args.id) ? [args.id as string] : [];
      if (action === 'cancel' && !id.length) throw new Error('jobs: "id" is required to cancel');
      let wait: string[] = [];
      if (action === 'wait') {
        const t = args.timeout ?? JOBS_WAIT_DEFAULT_S;
        if (!Number.isInteger(t) || (t as number) < 0)
          throw new Error('jobs: "timeout" must be a whole number of seconds');
        wait = ['--timeout', String(t)];
      }
      return ['jobs', action, ...id, ...wait, '--json'];
    }
    default:
      throw new Error(`unknown tool "${name}"; tools: ${MCP_TOOLS.map((t) => t.name).join(', ')}`);
  }
}
