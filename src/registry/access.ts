/**
 * Is a model's access path present right now? A CLI on PATH (and its version), an API
 * key variable set, a local endpoint answering. Probes run in parallel with short
 * timeouts; only `mm models` and `mm doctor` pay for them.
 */
import { execFile } from 'node:child_process';
import { findOnPath } from '../process/find-on-path.ts';
import type { RegistryEntry } from './models.ts';

export interface AccessStatus {
  present: boolean;
  /** What was found, e.g. "codex-cli 0.169.0 at /usr/bin/codex". */
  detail: string;
  /** How to fix it when absent. */
  fix?: string;
}

function commandVersion(path: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(path, ['--version'], { timeout: 5000, env, maxBuffer: 64 * 1024 }, (error, stdout) => {
      resolve(error ? null : (stdout.trim().split('\n').pop() ?? '').slice(0, 80) || null);
    });
  });
}

async function endpointAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1500) });
    return res.ok;
  } catch {
    return false;
  }
}

const INSTALL_HINT: Record<string, string> = {
  codex: 'npm install -g @openai/codex, then `codex login` or set OPENAI_API_KEY',
  gemini:
    'npm install -g @google/gemini-cli, then set GEMINI_API_KEY (or configure models.gemini.command for a successor CLI)',
};

/** Probe each distinct access path once (several models share one CLI). */
export async function probeAccess(
  entries: RegistryEntry[],
  env: NodeJS.ProcessEnv,
): Promise<Map<string, AccessStatus>> {
  const byKey = new Map<string, Promise<AccessStatus>>();
  const keyOf = (e: RegistryEntry) =>
    `${e.access.kind}|${e.access.command ?? ''}|${e.access.endpoint ?? ''}|${e.access.key_env.join(',')}`;
  for (const entry of entries) {
    const key = keyOf(entry);
    if (!byKey.has(key)) byKey.set(key, probeOne(entry, env));
  }
  const result = new Map<string, AccessStatus>();
  for (const entry of entries) result.set(entry.id, await byKey.get(keyOf(entry))!);
  return result;
}

async function probeOne(entry: RegistryEntry, env: NodeJS.ProcessEnv): Promise<AccessStatus> {
  const { kind, command, endpoint, key_env } = entry.access;
  const keySet = key_env.find((k) => env[k]);
  switch (kind) {
    case 'claude-code':
      return { present: true, detail: 'the orchestrator (Claude Code itself)' };
    case 'teams':
      return { present: true, detail: 'inside Claude Code (agent teams / subagents)' };
    case 'codex-cli':
    case 'gemini-cli':
    case 'claude-cli': {
      const path = findOnPath(command ?? kind, env);
      if (!path)
        return {
          present: false,
          detail: `${command} not on PATH`,
          fix: INSTALL_HINT[entry.integration] ?? `install ${command} or set its path in config`,
        };
      const version = await commandVersion(path, env);
      return { present: true, detail: `${version ?? 'version unknown'} at ${path}${keySet ? `; ${keySet} set` : ''}` };
    }
    case 'ollama':
    case 'openai-compatible': {
      if (!endpoint) return { present: false, detail: 'no endpoint configured', fix: 'set endpoint in config' };
      const base = endpoint.replace(/\/+$/, '');
      const url = kind === 'ollama' ? `${base}/api/version` : `${base}/models`;
      const up = await endpointAnswers(url);
      if (!up)
        return {
          present: false,
          detail: `${base} does not answer`,
          fix:
            kind === 'ollama'
              ? 'start it with `ollama serve` and `ollama pull <model>`'
              : `start the server at ${base}`,
        };
      if (key_env.length && !keySet)
        return {
          present: false,
          detail: `${base} answers, but ${key_env.join(' / ')} is not set`,
          fix: `export ${key_env[0]}=…`,
        };
      return { present: true, detail: `${base} answers` };
    }
    case 'anthropic':
    case 'google-genai':
    case 'openai-api':
      if (keySet) return { present: true, detail: `${keySet} set` };
      return {
        present: false,
        detail: `${key_env.join(' or ')} not set`,
        fix: `export ${key_env[0]}=… (the SDK reads it)`,
      };
  }
}
