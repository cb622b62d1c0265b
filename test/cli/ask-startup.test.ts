/**
 * `mm ask` is on Claude Code's hot path: what its handler loads statically (and the
 * Codex adapter it then imports) must not drag in zod (~450 KB) or the SDKs. Reads the
 * built dist/ (test/global-setup.ts builds it once).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = join(process.cwd(), 'dist');

/** Every source module in the static import graph of a built file, from the sourcemaps. */
function staticSources(file: string, seen = new Set<string>(), sources = new Set<string>()): Set<string> {
  if (seen.has(file)) return sources;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  if (existsSync(`${file}.map`))
    for (const s of JSON.parse(readFileSync(`${file}.map`, 'utf8')).sources as string[])
      sources.add(s.replace(/^(\.\.\/)+/, ''));
  for (const m of code.matchAll(/import(?:\{[^}]*\}|\s*\*\s*as\s*\w+|\s*\w+)?\s*(?:from\s*)?"(\.[^"]+)"/g))
    staticSources(resolve(dirname(file), m[1]!), seen, sources);
  return sources;
}

describe('mm ask start-up', () => {
  it('the ask handler and the Codex adapter load no zod and no SDK', () => {
    const adapter = readdirSync(join(DIST, 'cold', 'chunks')).find((f) => /^codex-.*\.mjs$/.test(f));
    expect(adapter).toBeDefined();
    const sources = [
      ...staticSources(join(DIST, 'cold', 'cli', 'handlers', 'ask.mjs')),
      ...staticSources(join(DIST, 'cold', 'chunks', adapter!)),
    ];
    expect(sources).toContain('src/providers/codex.ts');
    expect(sources.filter((s) => /node_modules\/(?:zod|@google|openai|@anthropic-ai)\//.test(s))).toEqual([]);
    expect(sources).not.toContain('src/config/schema.ts');
  });
});
