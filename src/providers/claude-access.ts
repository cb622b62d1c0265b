/**
 * Which way a Claude model is reached right now: the Messages API (an API key, billed per
 * token) or the `claude` CLI the user is logged in to (a subscription). `[models.claude]`
 * decides (`access`, `per_model`); `auto` takes the API when a key is set, else the CLI
 * when it is on PATH. Cheap (a few stat calls), so the fallback chain and `mm develop plan`
 * can ask it for every hop.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { findOnPath } from '../process/find-on-path.ts';
import type { RegistryEntry } from '../registry/models.ts';

type ClaudeVia = 'api' | 'cli';

export interface ClaudeAccess {
  via: ClaudeVia;
  /** False when the chosen way cannot work here (no key; no CLI on PATH). */
  usable: boolean;
  /** For plans and doctor: "claude CLI at /usr/bin/claude (subscription login)". */
  detail: string;
}

/** Headless Claude through the Messages API needs a credential; ANTHROPIC_BASE_URL alone is not enough. */
function claudeApiReachable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN);
}

export function claudeAccessFor(
  entry: Pick<RegistryEntry, 'id' | 'integration'> | undefined,
  config: Config,
  env: NodeJS.ProcessEnv,
): ClaudeAccess {
  const api: ClaudeAccess = claudeApiReachable(env)
    ? {
        via: 'api',
        usable: true,
        detail: `Messages API (${env.ANTHROPIC_API_KEY ? 'ANTHROPIC_API_KEY' : 'ANTHROPIC_AUTH_TOKEN'})`,
      }
    : { via: 'api', usable: false, detail: 'Messages API, but ANTHROPIC_API_KEY is not set' };
  // A user's [[registry.models]] entry with provider = "anthropic" brings its own endpoint: always the API.
  if (entry?.integration === 'custom') return { ...api, usable: true };
  const c = config.models.claude;
  const mode = (entry && c.per_model[entry.id]) ?? c.access;
  if (mode === 'api') return api;
  const path = findOnPath(c.command, env);
  const cli: ClaudeAccess = path
    ? { via: 'cli', usable: true, detail: `claude CLI at ${path} (its own login)` }
    : { via: 'cli', usable: false, detail: `claude CLI, but ${c.command} is not on PATH` };
  // Asked for by name: the CLI it is; a missing login shows up as an "auth" result.
  if (mode === 'cli') return cli;
  if (api.usable) return api;
  // auto: a CLI nobody logged in to is not a way in (a dev dependency on PATH, a fresh install).
  if (cli.usable && claudeLoginVisible(env)) return cli;
  return {
    via: 'api',
    usable: false,
    detail: path
      ? `neither ANTHROPIC_API_KEY nor a claude CLI login (run \`claude\` and /login, or set [models.claude] access = "cli")`
      : `neither ANTHROPIC_API_KEY nor the claude CLI (${c.command} is not on PATH)`,
  };
}

/**
 * Signs that the user logged in to the `claude` CLI, without running it: a long-lived token
 * (`claude setup-token`), an OAuth login (recorded in ~/.claude.json; the secret itself may be
 * in the OS keychain), stored credentials, or an `apiKeyHelper` in the user settings.
 */
function claudeLoginVisible(env: NodeJS.ProcessEnv): boolean {
  if (env.CLAUDE_CODE_OAUTH_TOKEN) return true;
  const home = env.HOME;
  const dir = env.CLAUDE_CONFIG_DIR || (home ? join(home, '.claude') : undefined);
  if (!dir) return false;
  if (existsSync(join(dir, '.credentials.json'))) return true;
  const has = (file: string, key: string) => {
    try {
      return Boolean(JSON.parse(readFileSync(file, 'utf8'))?.[key]);
    } catch {
      return false;
    }
  };
  const accountFile = env.CLAUDE_CONFIG_DIR ? join(dir, '.claude.json') : home ? join(home, '.claude.json') : '';
  return has(join(dir, 'settings.json'), 'apiKeyHelper') || (accountFile !== '' && has(accountFile, 'oauthAccount'));
}
