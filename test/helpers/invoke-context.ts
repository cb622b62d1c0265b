/** An InvokeContext from TOML text, for provider tests (no config file needed). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../../src/config/validate.ts';
import type { InvokeContext } from '../../src/providers/types.ts';
import { buildRegistry } from '../../src/registry/registry.ts';

export const CODEX_BIN = join(process.cwd(), 'node_modules', '.bin', 'codex');
export const GEMINI_BIN = join(process.cwd(), 'node_modules', '.bin', 'gemini');

export function contextFor(toml: string, opts: { env?: NodeJS.ProcessEnv; root?: string } = {}): InvokeContext {
  const root = opts.root ?? mkdtempSync(join(tmpdir(), 'mm-prov-'));
  const loaded = { ...parseConfigText(toml, join(root, 'multi-model.toml')), origin: 'flag' as const };
  return { loaded, registry: buildRegistry(loaded.config), env: { PATH: process.env.PATH, ...opts.env }, root };
}

/** Writes the config into `<root>/.claude/config/multi-model.toml` (for `mm` runs). */
export function writeProjectConfig(root: string, toml: string): void {
  const dir = join(root, '.claude', 'config');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'multi-model.toml'), toml);
}

export const CLAUDE_BIN = join(process.cwd(), 'node_modules', '.bin', 'claude');

/**
 * A HOME where the real `claude` is logged in through its own settings (`apiKeyHelper`), as a
 * subscriber's would be: no ANTHROPIC_API_KEY anywhere. The settings also carry a user hook
 * that would touch `hookMarker` on every prompt, so a test can prove mm's calls skip them.
 */
export function claudeLoginHome(key = 'helper-key-123'): { home: string; hookMarker: string } {
  const home = mkdtempSync(join(tmpdir(), 'mm-claude-home-'));
  const hookMarker = join(home, 'user-hook-ran');
  mkdirSync(join(home, '.claude'), { recursive: true });
  writeFileSync(
    join(home, '.claude', 'settings.json'),
    JSON.stringify({
      apiKeyHelper: `echo ${key}`,
      hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command: `touch ${hookMarker}` }] }] },
    }),
  );
  return { home, hookMarker };
}
