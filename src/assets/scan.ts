/**
 * Reads the asset store back: every asset with its sidecars (`mm assets list`), and
 * every provenance problem (`mm assets verify`): missing sidecars, a hash that no longer
 * matches, unreadable metadata, sidecars whose asset is gone.
 */
import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, relative } from 'node:path';
import { META_SUFFIX, PROMPT_SUFFIX, sidecarsOf, stemOf, storeRoot, type AssetPipeline } from './layout.ts';
import { assetMetaSchema, type AssetMeta } from './meta.ts';
import { sha256Hex } from './store.ts';

interface AssetEntry {
  /** Relative to the project root, forward slashes. */
  path: string;
  prompt: string | null;
  meta: AssetMeta | null;
  /** Why the meta file could not be used, when it exists but is broken. */
  metaError?: string;
}

type ProblemKind = 'missing_metadata' | 'missing_prompt' | 'invalid_metadata' | 'hash_mismatch' | 'orphan_sidecar';

interface Problem {
  kind: ProblemKind;
  path: string;
  detail: string;
}

interface Listing {
  assets: AssetEntry[];
  orphans: string[];
  /** Hidden temp files left by interrupted writes: never assets, safe to delete. */
  staleTemps: string[];
}

const isSidecar = (name: string) => name.endsWith(PROMPT_SUFFIX) || name.endsWith(META_SUFFIX);

export function listAssets(projectRoot: string, pipeline: AssetPipeline): Listing {
  const root = storeRoot(projectRoot, pipeline);
  const rel = (p: string) => relative(projectRoot, p).split('\\').join('/');
  const assets: AssetEntry[] = [];
  const orphans: string[] = [];
  const staleTemps: string[] = [];
  for (const dir of foldersUnder(root)) {
    const files = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile());
    for (const d of files)
      if (d.name.startsWith('.') && d.name.endsWith('.tmp')) staleTemps.push(rel(join(dir, d.name)));
    const names = files
      .filter((d) => !d.name.startsWith('.')) // hidden: temp files of interrupted writes
      .map((d) => d.name)
      .sort();
    const claimed = new Set<string>();
    for (const name of names.filter((n) => !isSidecar(n))) {
      const sidecars = sidecarsOf(dir, stemOf(name));
      claimed.add(sidecars.prompt).add(sidecars.meta);
      const entry: AssetEntry = {
        path: rel(join(dir, name)),
        prompt: existsSync(sidecars.prompt) ? rel(sidecars.prompt) : null,
        meta: null,
      };
      if (existsSync(sidecars.meta)) {
        try {
          entry.meta = assetMetaSchema.parse(JSON.parse(readFileSync(sidecars.meta, 'utf8')));
          if (entry.meta.file !== name) {
            entry.metaError = `it describes "${entry.meta.file}"`;
            entry.meta = null;
          }
        } catch (e) {
          entry.metaError =
            e instanceof SyntaxError ? `not JSON: ${e.message}` : 'does not match the provenance schema';
        }
      }
      assets.push(entry);
    }
    for (const name of names.filter(isSidecar)) if (!claimed.has(join(dir, name))) orphans.push(rel(join(dir, name)));
  }
  return { assets, orphans, staleTemps };
}

/**
 * What verify could establish about one asset. `hash` is "unchecked" whenever there is no
 * usable meta record (store_metadata off, or missing/broken): then nothing vouches for the bytes.
 */
interface AssetCheck {
  path: string;
  prompt: 'present' | 'missing' | 'off';
  metadata: 'present' | 'missing' | 'invalid' | 'off';
  hash: 'match' | 'mismatch' | 'unchecked';
}

export interface Verification {
  checked: number;
  assets: AssetCheck[];
  problems: Problem[];
  staleTemps: string[];
}

/** Every provenance problem in the store. Sidecars that config turns off are not required. */
export function verifyAssets(projectRoot: string, pipeline: AssetPipeline): Verification {
  const { assets, orphans, staleTemps } = listAssets(projectRoot, pipeline);
  const problems: Problem[] = [];
  const checks: AssetCheck[] = [];
  for (const a of assets) {
    const check: AssetCheck = {
      path: a.path,
      prompt: a.prompt ? 'present' : pipeline.store_prompts ? 'missing' : 'off',
      metadata: 'present',
      hash: 'unchecked',
    };
    if (pipeline.store_prompts && !a.prompt)
      problems.push({ kind: 'missing_prompt', path: a.path, detail: 'no .prompt.txt sidecar' });
    if (a.metaError) {
      check.metadata = 'invalid';
      problems.push({ kind: 'invalid_metadata', path: a.path, detail: `its .meta.json ${a.metaError}` });
    } else if (!a.meta) {
      check.metadata = pipeline.store_metadata ? 'missing' : 'off';
      if (pipeline.store_metadata)
        problems.push({ kind: 'missing_metadata', path: a.path, detail: 'no .meta.json sidecar' });
    } else {
      const actual = sha256Hex(readFileSync(join(projectRoot, a.path)));
      check.hash = actual === a.meta.sha256 ? 'match' : 'mismatch';
      if (actual !== a.meta.sha256) {
        problems.push({
          kind: 'hash_mismatch',
          path: a.path,
          detail: `sha256 is ${actual.slice(0, 12)}…, the record says ${a.meta.sha256.slice(0, 12)}… (changed after it was recorded)`,
        });
      }
    }
    checks.push(check);
  }
  for (const o of orphans)
    problems.push({
      kind: 'orphan_sidecar',
      path: o,
      detail: 'sidecar without its asset (deleted, renamed, or an interrupted write)',
    });
  return { checked: assets.length, assets: checks, problems, staleTemps };
}

function foldersUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [root];
  for (let i = 0; i < out.length; i++) {
    let entries: Dirent[];
    try {
      entries = readdirSync(out[i]!, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const d of entries) if (d.isDirectory() && !d.name.startsWith('.')) out.push(join(out[i]!, d.name));
  }
  return out;
}
