/**
 * The providers' own model lists: Gemini API `models.list`, OpenAI `/v1/models`,
 * Anthropic `/v1/models`, Ollama `/api/tags`, an OpenAI-compatible `/v1/models`.
 * and the Codex CLI's own catalog (`codex debug models`: the slugs it has metadata for;
 * an id missing there runs on fallback metadata, which the CLI warns "can degrade
 * performance"). Only sources behind an enabled integration with credentials are asked;
 * gemini-cli 0.61 has no model-list command, so without an API key Gemini is "not asked".
 * Used by `mm models refresh` only: nothing on the hook path loads this module.
 */
import type { Config } from '../config/schema.ts';
import { runProcess } from '../process/runner.ts';
import { codexLaunch } from '../process/codex-native.ts';
import type { Registry } from './registry.ts';
import type { RegistryEntry } from './types.ts';

type ListProvider = 'google' | 'openai' | 'anthropic' | 'ollama' | 'openai-compatible' | 'codex-cli';

/** Where one list comes from and who may be checked against it. */
export interface ListSource {
  /** Stable key, e.g. "google" or "ollama http://127.0.0.1:11434". */
  key: string;
  provider: ListProvider;
  /** Human name of who answers ("Google", "OpenAI", an endpoint). */
  at: string;
  /** Base URL the list is read from. */
  endpoint: string;
  /** Registry ids whose wire ids this list should contain. */
  models: string[];
  apiKey?: string;
  /** codex-cli: the command to run, and its environment. */
  command?: string;
  env?: NodeJS.ProcessEnv;
}

export interface SkippedSource {
  provider: string;
  reason: string;
}

export interface LiveList {
  key: string;
  provider: ListProvider;
  at: string;
  endpoint: string;
  models: string[];
  ok: boolean;
  /** Model ids the provider listed (no "models/" prefix). */
  ids: string[];
  /** When not ok: "unavailable" | "auth" | "timeout" | "failed", and the reason. */
  errorKind?: 'unavailable' | 'auth' | 'timeout' | 'failed';
  error?: string;
}

const GEMINI_KEY_ENV = ['GEMINI_API_KEY', 'GOOGLE_API_KEY'];
const OPENAI_KEY_ENV = ['OPENAI_API_KEY', 'CODEX_API_KEY'];
const firstSet = (env: NodeJS.ProcessEnv, names: string[]) => names.map((n) => env[n]).find(Boolean);

/** The lists worth asking for, given what is enabled and which credentials are present. */
export function listSources(
  config: Config,
  registry: Registry,
  env: NodeJS.ProcessEnv,
): { sources: ListSource[]; skipped: SkippedSource[] } {
  const sources = new Map<string, ListSource>();
  const skipped: SkippedSource[] = [];
  const add = (s: Omit<ListSource, 'models'>, entry: RegistryEntry) => {
    const found = sources.get(s.key) ?? { ...s, models: [] };
    found.models.push(entry.id);
    sources.set(s.key, found);
  };
  const geminiKey = firstSet(env, GEMINI_KEY_ENV);
  const openaiKey = firstSet(env, OPENAI_KEY_ENV);
  const anthropicKey = env.ANTHROPIC_API_KEY;
  const google = {
    key: 'google',
    provider: 'google' as const,
    at: 'Google',
    endpoint: (
      config.asset_pipeline.gemini_base_url ??
      env.GOOGLE_GEMINI_BASE_URL ??
      'https://generativelanguage.googleapis.com'
    ).replace(/\/+$/, ''),
    apiKey: geminiKey,
  };
  const openai = {
    key: 'openai',
    provider: 'openai' as const,
    at: 'OpenAI',
    endpoint: (env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, ''),
    apiKey: openaiKey,
  };
  const anthropic = {
    key: 'anthropic',
    provider: 'anthropic' as const,
    at: 'Anthropic',
    endpoint: (env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com').replace(/\/+$/, ''),
    apiKey: anthropicKey,
  };
  const skip = (provider: string, reason: string) => {
    if (!skipped.some((s) => s.provider === provider)) skipped.push({ provider, reason });
  };
  for (const entry of registry.entries) {
    if (!registry.isEnabled(entry)) continue;
    switch (entry.integration) {
      case 'gemini':
      case 'nano-banana':
        if (geminiKey) add(google, entry);
        else skip('google', 'no GEMINI_API_KEY (or GOOGLE_API_KEY): the Gemini CLI has no model-list command');
        break;
      case 'codex':
        // The CLI's catalog needs no key: it says which slugs this codex version knows.
        add(
          {
            key: 'codex-cli',
            provider: 'codex-cli',
            at: `the Codex CLI (${entry.access.command ?? config.models.codex.command} debug models)`,
            endpoint: entry.access.command ?? config.models.codex.command,
            command: entry.access.command ?? config.models.codex.command,
            env,
          },
          entry,
        );
        if (openaiKey) add(openai, entry);
        else skip('openai', 'no OPENAI_API_KEY: set it to check the Codex models against /v1/models too');
        break;
      case 'sora':
        if (openaiKey) add(openai, entry);
        else skip('openai', 'no OPENAI_API_KEY: set it to check against /v1/models');
        break;
      case 'claude':
        if (anthropicKey) add(anthropic, entry);
        else skip('anthropic', 'no ANTHROPIC_API_KEY: Claude Code itself picks its models');
        break;
      case 'local': {
        const local = config.models.local_llm;
        const endpoint = local.endpoint.replace(/\/+$/, '');
        add({ key: `${local.api} ${endpoint}`, provider: local.api, at: endpoint, endpoint }, entry);
        break;
      }
      case 'custom': {
        const source = customSource(entry, env, { google, openai, anthropic });
        if ('reason' in source) skip(entry.id, source.reason);
        else add(source, entry);
        break;
      }
      case 'claude-teams':
        break; // runs on the Claude Code session's own model
    }
  }
  return { sources: [...sources.values()], skipped };
}

function customSource(
  entry: RegistryEntry,
  env: NodeJS.ProcessEnv,
  known: Record<'google' | 'openai' | 'anthropic', Omit<ListSource, 'models'>>,
): Omit<ListSource, 'models'> | { reason: string } {
  const key = entry.access.key_env.map((k) => env[k]).find(Boolean);
  const endpoint = entry.access.endpoint?.replace(/\/+$/, '');
  switch (entry.access.kind) {
    case 'ollama':
    case 'openai-compatible':
      if (!endpoint) return { reason: 'no endpoint configured' };
      return {
        key: `${entry.access.kind} ${endpoint}`,
        provider: entry.access.kind,
        at: endpoint,
        endpoint,
        apiKey: key,
      };
    case 'anthropic':
      if (!endpoint) return known.anthropic.apiKey ? known.anthropic : { reason: 'no ANTHROPIC_API_KEY' };
      if (!key) return { reason: `no ${entry.access.key_env.join(' or ') || 'API key variable'} set` };
      return { key: `anthropic ${endpoint}`, provider: 'anthropic', at: endpoint, endpoint, apiKey: key };
    case 'codex-cli':
    case 'openai-api':
      return known.openai.apiKey ? known.openai : { reason: 'no OPENAI_API_KEY' };
    case 'gemini-cli':
    case 'google-genai':
      return known.google.apiKey ? known.google : { reason: 'no GEMINI_API_KEY' };
    default:
      return { reason: `${entry.access.kind} has no model list` };
  }
}

/** Asks every source at once; a source that fails is a result (ok: false), never a throw. */
export async function fetchLists(sources: ListSource[], timeoutMs: number): Promise<LiveList[]> {
  return Promise.all(sources.map((s) => fetchList(s, timeoutMs)));
}

async function fetchList(s: ListSource, timeoutMs: number): Promise<LiveList> {
  const base = { key: s.key, provider: s.provider, at: s.at, endpoint: s.endpoint, models: s.models };
  try {
    const ids = await LISTERS[s.provider](s, AbortSignal.timeout(timeoutMs));
    return { ...base, ok: true, ids: [...new Set(ids)].sort() };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    const errorKind: LiveList['errorKind'] =
      err.name === 'TimeoutError' || err.name === 'AbortError'
        ? 'timeout'
        : err instanceof ListError
          ? err.kind
          : 'unavailable';
    const error =
      errorKind === 'timeout'
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : err instanceof ListError
          ? err.message
          : `unreachable: ${err.cause?.code ?? err.cause?.message ?? err.message}`;
    return { ...base, ok: false, ids: [], errorKind, error };
  }
}

/** A source that answered, but not with a list. */
class ListError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'auth' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider model lists are untyped JSON; each field is checked where read
async function getJson(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<any> {
  const res = await fetch(url, { headers, signal });
  const body = await res.text();
  if (!res.ok)
    throw new ListError(
      res.status === 401 || res.status === 403 ? 'auth' : 'failed',
      `HTTP ${res.status} from ${url.replace(/\?.*/, '')}: ${body.slice(0, 160)}`,
    );
  try {
    return JSON.parse(body);
  } catch {
    throw new ListError('failed', `not JSON from ${url}: ${body.slice(0, 80)}`);
  }
}

/** Pages are followed up to this many: no provider lists more than a few hundred models. */
const MAX_PAGES = 20;

const LISTERS: Record<ListProvider, (s: ListSource, signal: AbortSignal) => Promise<string[]>> = {
  /** `codex debug models` prints `{"models":[{"slug":…}]}`: the catalog this binary uses. */
  async 'codex-cli'(s, signal) {
    const launch = codexLaunch(s.command ?? 'codex', s.env ?? process.env);
    const run = await runProcess({
      command: launch.command,
      args: ['debug', 'models'],
      env: launch.env,
      timeoutMs: 15_000,
    });
    if (signal.aborted || run.timedOut) throw Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    if (run.spawnError) throw new ListError('unavailable', `${s.command}: ${run.spawnError}`);
    if (run.exitCode !== 0)
      throw new ListError(
        'failed',
        `${s.command} debug models exited ${run.exitCode}: ${run.stderr.trim().slice(-200)}`,
      );
    let data: { models?: Array<{ slug?: unknown }> };
    try {
      data = JSON.parse(run.stdout);
    } catch {
      throw new ListError('failed', `${s.command} debug models printed no JSON: ${run.stdout.slice(0, 80)}`);
    }
    return (data.models ?? []).map((m) => m.slug).filter((x): x is string => typeof x === 'string');
  },
  async google(s, signal) {
    const ids: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const q = `pageSize=1000${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
      const data = await getJson(`${s.endpoint}/v1beta/models?${q}`, { 'x-goog-api-key': s.apiKey ?? '' }, signal);
      for (const m of data?.models ?? []) if (typeof m?.name === 'string') ids.push(m.name.replace(/^models\//, ''));
      token = data?.nextPageToken;
      if (!token) break;
    }
    return ids;
  },
  async openai(s, signal) {
    const data = await getJson(`${s.endpoint}/models`, { authorization: `Bearer ${s.apiKey ?? ''}` }, signal);
    return (data?.data ?? []).map((m: { id?: unknown }) => m.id).filter((id: unknown) => typeof id === 'string');
  },
  async 'openai-compatible'(s, signal) {
    const base = /\/v\d+$/.test(s.endpoint) ? s.endpoint : `${s.endpoint}/v1`;
    const data = await getJson(`${base}/models`, s.apiKey ? { authorization: `Bearer ${s.apiKey}` } : {}, signal);
    return (data?.data ?? []).map((m: { id?: unknown }) => m.id).filter((id: unknown) => typeof id === 'string');
  },
  async anthropic(s, signal) {
    const ids: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const data = await getJson(
        `${s.endpoint}/v1/models?limit=1000${after ? `&after_id=${encodeURIComponent(after)}` : ''}`,
        { 'x-api-key': s.apiKey ?? '', 'anthropic-version': '2023-06-01' },
        signal,
      );
      for (const m of data?.data ?? []) if (typeof m?.id === 'string') ids.push(m.id);
      if (!data?.has_more || !data?.last_id) break;
      after = data.last_id;
    }
    return ids;
  },
  async ollama(s, signal) {
    const data = await getJson(`${s.endpoint}/api/tags`, {}, signal);
    return (data?.models ?? []).flatMap((m: { name?: unknown; model?: unknown }) =>
      [m.name, m.model].filter((x): x is string => typeof x === 'string'),
    );
  },
};
