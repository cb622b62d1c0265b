/**
 * Recognises the files of a freshly copied pack, so they are not "the change": right after
 * `mm init`, `mm check` must not count them and `mm review diff` must not send them. The
 * build writes a manifest (sha256 of every file `mm init` writes, runtime included) into the
 * runtime; a changed file is "shipped" when its content matches the manifest of the pack in
 * the project or of the running `mm`. A user's edit changes the hash, so it counts again.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lazyCrypto } from '../util/lazy-builtins.ts';
import { assets } from '../util/package-root.ts';

/** The manifest's file name inside a runtime folder. @public: scripts/build.mjs reads it through an esbuild stdin bundle, which knip cannot see. */
export const MANIFEST = 'pack-manifest.json';
const RUNTIME = '.claude/runtime';

/**
 * A predicate over repository-relative paths: true for a file identical to the shipped pack.
 * Manifests are read on the first path that could be a pack file; never true inside the
 * multimodel repository itself, where the pack files are the sources being changed.
 */
export function shippedPackFiles(root: string): (path: string) => boolean {
  let known: Map<string, Set<string>> | undefined;
  return (path) => {
    if (!path.startsWith('.claude/') && path !== 'CLAUDE.md') return false;
    known ??= loadManifests(root);
    const hashes = known.get(path);
    if (!hashes) return path === `${RUNTIME}/${MANIFEST}` && known.size > 0;
    try {
      return hashes.has(
        lazyCrypto()
          .createHash('sha256')
          .update(readFileSync(join(root, path), 'utf8'))
          .digest('hex'),
      );
    } catch {
      return false; // deleted or unreadable: a real change
    }
  };
}

function loadManifests(root: string): Map<string, Set<string>> {
  const known = new Map<string, Set<string>>();
  if (isMultimodelRepo(root)) return known;
  let own: string | undefined;
  try {
    own = join(assets().pack, 'runtime', MANIFEST);
  } catch {
    own = undefined; // running from somewhere without a pack: only the project's manifest
  }
  for (const file of [join(root, RUNTIME, MANIFEST), own]) {
    if (!file || !existsSync(file)) continue;
    try {
      const { files } = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, string> };
      for (const [path, hash] of Object.entries(files)) {
        const set = known.get(path) ?? new Set<string>();
        set.add(hash);
        known.set(path, set);
      }
    } catch {
      // A damaged manifest recognises nothing: files then count as changed, never hidden.
    }
  }
  return known;
}

function isMultimodelRepo(root: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string }).name === 'multimodel';
  } catch {
    return false;
  }
}
