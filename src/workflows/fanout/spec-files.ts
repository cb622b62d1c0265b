/**
 * The files a spec names (`src/auth/login.ts`, in backticks or bare), so competitive and
 * division fan-out send each model the spec plus those files. Only files that exist
 * inside the project are taken, within a token budget (the review packets' limit); the
 * secrets guard sees them when the call is made (InvokeRequest.files), as for reviews.
 */
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Config } from '../../config/schema.ts';
import { chunkLimit } from '../../context/packet.ts';
import type { Registry } from '../../registry/registry.ts';
import { estimateTokens, tokensForChars } from '../../util/tokens.ts';
import { isSafeRelativePath } from './materialize.ts';
import type { PlannedCall } from './types.ts';

/** A relative path with a directory or an extension: `src/x.ts`, `README.md`, `./lib/a.py`. */
const PATH_TOKEN = /(?:^|[\s`'"([])((?:\.\/)?[\w@.-]+(?:\/[\w@.-]+)*\.[A-Z]\w{0,9})(?=$|[\s`'"),:;\]]|\.(?:\s|$))/gim;

export interface SpecFiles {
  files: string[];
  /** Named files left out, with why (too big for the budget, outside the project). */
  skipped: Array<{ path: string; why: string }>;
}

export function filesNamedIn(spec: string, cwd: string, budgetTokens: number): SpecFiles {
  const files: string[] = [];
  const skipped: SpecFiles['skipped'] = [];
  let used = estimateTokens(spec);
  const seen = new Set<string>();
  for (const m of spec.matchAll(PATH_TOKEN)) {
    const raw = m[1]!.replace(/^\.\//, '');
    if (seen.has(raw)) continue;
    seen.add(raw);
    if (!isSafeRelativePath(raw)) continue;
    const abs = resolve(cwd, raw);
    if (relative(cwd, abs).startsWith('..') || !existsSync(abs) || !statSync(abs).isFile()) continue;
    const tokens = tokensForChars(statSync(abs).size);
    if (used + tokens > budgetTokens) {
      skipped.push({ path: raw, why: `over the context budget (${budgetTokens} tokens)` });
      continue;
    }
    used += tokens;
    files.push(raw);
  }
  return { files, skipped };
}

/**
 * Each call gets the files its spec names, within the review packets' size limit for
 * its model; the secrets guard withholds secret paths when the call is made.
 */
export function withNamedFiles(
  calls: PlannedCall[],
  cwd: string,
  config: Config,
  registry: Registry,
): { calls: PlannedCall[]; skipped: Array<{ label: string; path: string; why: string }> } {
  const skipped: Array<{ label: string; path: string; why: string }> = [];
  const out = calls.map((c) => {
    const budget = chunkLimit(config.models.gemini.chunking_threshold, [registry.find(c.model)?.context_in]);
    const named = filesNamedIn(c.prompt, cwd, budget);
    for (const s of named.skipped) skipped.push({ label: c.label, ...s });
    return named.files.length ? { ...c, files: named.files } : c;
  });
  return { calls: out, skipped };
}
