/**
 * Claude through the `claude` CLI the user is already logged in to (a Claude subscription:
 * no API key, no per-token bill). One headless turn: `claude -p` with the prompt on stdin,
 * JSON output, no tools, no MCP servers, nothing saved, and none of the user's, project's
 * or local settings files — so their hooks and plugins never run inside an mm call.
 *
 * The login survives that: an OAuth (subscription) login lives in the credentials store,
 * which `--setting-sources ""` does not touch; a login configured in the user's settings
 * (`apiKeyHelper`, a Bedrock/Vertex switch in `env`) is copied — those keys only — into
 * `--settings` (and the `env` entries into the child's environment). Retries are off (CLAUDE_CODE_MAX_RETRIES=0): mm's fallback chain decides.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkModelId } from '../process/argv.ts';
import { classifyRun, runProcess, statusFromMessage, tail } from '../process/runner.ts';
import { claudeEffortFor } from './claude.ts';
import { isModelGone, modelGoneMessage } from './model-gone.ts';
import { makeResult, resultOfReply } from './result.ts';
import type { InvokeContext, InvokeRequest, InvokeResult, InvokeStatus, Provider, Usage } from './types.ts';
import { withJsonReply } from './json-reply.ts';
import systemPromptTemplate from './prompts/claude-cli-system.md';
import { fillTemplate } from '../util/template.ts';

/** Keeps the turn to the request: the default system prompt (~28,000 characters) describes tools it does not have. */
export const CLAUDE_CLI_SYSTEM_PROMPT = fillTemplate(systemPromptTemplate);

/** Settings keys that carry a login, and the `env` entries that pick an endpoint or cloud. */
const LOGIN_KEYS = ['apiKeyHelper', 'forceLoginMethod', 'forceLoginOrgUUID', 'awsAuthRefresh', 'awsCredentialExport'];
const LOGIN_ENV = /^(?:ANTHROPIC_|CLAUDE_CODE_USE_|AWS_|CLOUD_ML_REGION$|VERTEX_REGION)/;

export function createClaudeCliProvider(ctx: InvokeContext): Provider {
  return { name: 'claude-cli', invoke: (request) => invokeClaudeCli(request, ctx) };
}

/**
 * The login-related part of the user's `~/.claude/settings.json` (or `$CLAUDE_CONFIG_DIR`):
 * settings keys for `--settings`, and `env` entries for the child's environment — not argv,
 * where any user could read a key in `ps`.
 */
export function loginSettings(env: NodeJS.ProcessEnv): {
  settings: Record<string, string> | null;
  env: Record<string, string>;
} {
  const none = { settings: null, env: {} };
  const dir = env.CLAUDE_CONFIG_DIR || (env.HOME ? join(env.HOME, '.claude') : undefined);
  if (!dir) return none;
  let user: Record<string, unknown>;
  try {
    user = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'));
  } catch {
    return none; // no file, or one Claude Code would ignore too
  }
  const settings: Record<string, string> = {};
  for (const key of LOGIN_KEYS) if (typeof user[key] === 'string') settings[key] = user[key] as string;
  const loginEnv: Record<string, string> = {};
  if (user.env && typeof user.env === 'object')
    for (const [k, v] of Object.entries(user.env)) if (LOGIN_ENV.test(k) && typeof v === 'string') loginEnv[k] = v;
  return { settings: Object.keys(settings).length ? settings : null, env: loginEnv };
}

/** The argv for one turn, as data the tests read. */
export function claudeCliArgs(opts: {
  wireModel: string;
  extended: boolean;
  login: Record<string, string> | null;
}): string[] {
  return [
    '-p',
    '--model',
    checkModelId(opts.wireModel, 'model'),
    // Adaptive is the CLI's default; escalation asks for the most thinking the model allows.
    ...(opts.extended ? ['--effort', 'max'] : []),
    '--output-format',
    'json',
    '--tools',
    '',
    '--strict-mcp-config',
    '--no-session-persistence',
    '--setting-sources',
    '',
    ...(opts.login ? ['--settings', JSON.stringify(opts.login)] : []),
    '--system-prompt',
    CLAUDE_CLI_SYSTEM_PROMPT,
  ];
}

interface CliResult {
  type?: string;
  is_error?: boolean;
  result?: string;
  api_error_status?: number | null;
  stop_reason?: string | null;
  usage?: {
    input_tokens?: number;
    output_tokens?: number;
    cache_read_input_tokens?: number;
    output_tokens_details?: { thinking_tokens?: number };
  };
}

async function invokeClaudeCli(request: InvokeRequest, ctx: InvokeContext): Promise<InvokeResult> {
  const c = ctx.loaded.config.models.claude;
  const modelId = request.model ?? ctx.loaded.config.models.defaults.implementation;
  const entry = ctx.registry.find(modelId);
  const model = entry?.id ?? modelId;
  const effort = claudeEffortFor(request, ctx);
  const prompt = request.schema ? withJsonReply(request.prompt, request.schema, 'claude') : request.prompt;
  const login = loginSettings(ctx.env);
  const run = await runProcess({
    command: entry?.access.kind === 'claude-cli' && entry.access.command ? entry.access.command : c.command,
    args: claudeCliArgs({
      wireModel: entry?.wire_model ?? model,
      extended: effort === 'extended' && entry?.line !== 'haiku',
      login: login.settings,
    }),
    input: prompt,
    cwd: request.cwd,
    // The user's settings env comes first, as Claude Code would apply it; mm's own environment wins.
    env: { ...login.env, ...ctx.env, CLAUDE_CODE_MAX_RETRIES: '0', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
    timeoutMs: request.timeoutMs ?? c.timeout_seconds * 1000,
  });
  const base = { provider: 'claude-cli', model, latencyMs: run.durationMs, stderrTail: tail(run.stderr) };
  let out: CliResult | undefined;
  try {
    out = JSON.parse(run.stdout) as CliResult;
  } catch {
    out = undefined;
  }
  // The CLI exits 1 with a JSON result on API errors: read the result before the exit code.
  if (!out || out.type !== 'result') {
    const classified = classifyRun(run);
    if (classified.status !== 'ok')
      return makeResult({
        ...base,
        status: classified.status,
        error: `${c.command}: ${classified.reason}${run.stderr.trim() ? `: ${tail(run.stderr, 2)}` : ''}`,
      });
    return makeResult({
      ...base,
      status: 'invalid_output',
      error: `claude --output-format json printed no result: ${run.stdout.slice(0, 120)}`,
    });
  }
  const usage = usageOf(out.usage);
  const text = typeof out.result === 'string' ? out.result : '';
  if (out.is_error) {
    const status = statusOfError(out);
    const error =
      status === 'model_not_found'
        ? modelGoneMessage({
            wireModel: entry?.wire_model ?? model,
            at: 'Anthropic',
            registry: ctx.registry,
            detail: text,
          })
        : text || 'claude reported an error';
    return makeResult({ ...base, usage, status, error });
  }
  if (out.stop_reason === 'max_tokens')
    return makeResult({ ...base, usage, text, status: 'truncated', error: 'stop_reason "max_tokens": output cut off' });
  return resultOfReply({ ...base, usage }, text, request.schema);
}

function usageOf(u: CliResult['usage']): Usage {
  return {
    input: u?.input_tokens ?? 0,
    output: u?.output_tokens ?? 0,
    reasoning: u?.output_tokens_details?.thinking_tokens ?? 0,
    cached: u?.cache_read_input_tokens ?? 0,
  };
}

/** An error result: the HTTP status when the CLI passes it on, else its wording. */
export function statusOfError(out: Pick<CliResult, 'api_error_status' | 'result'>): InvokeStatus {
  const code = out.api_error_status;
  const text = out.result ?? '';
  if (code === 401 || code === 403 || /not logged in|please run \/login|invalid api key/i.test(text)) return 'auth';
  // A 404 on the model: the CLI says "…selected model (x). It may not exist…", or relays the API's words.
  if (code === 404 || isModelGone(text) || /selected model .{0,80}may not exist/i.test(text)) return 'model_not_found';
  if (code === 429) return 'rate_limited';
  if (code === 529 || code === 503 || /overloaded/i.test(text)) return 'unavailable';
  if (/output token maximum/i.test(text)) return 'truncated';
  return statusFromMessage(text) ?? 'failed';
}
