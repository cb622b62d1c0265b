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
