import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** The multimodel package folder (holds templates/), from src/ or from the dist bundle. */
export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'multimodel')
      return (cached = dir);
    if (dirname(dir) === dir) throw new Error('cannot find the multimodel package folder');
  }
}

/** Where the files `mm` reads at run time live, for the copy of `mm` that is running. */
export interface Assets {
  /** Folder holding multi-model.toml, code_spec.md, code_report.md. */
  templates: string;
  /** The pack: the folder `mm init` copies into a project's `.claude/`. */
  pack: string;
  /** The file whose "Multi-Model Integration" section `mm init` adds to CLAUDE.md. */
  claudeMd: string;
}

/**
 * From the package (src/, dist/) the assets are the package's own folders; from the plugin
 * runtime (`<pack>/runtime/`, built by scripts/build.mjs) they sit beside the bundle, and the
 * pack is the folder holding it — a git-installed plugin has nothing else.
 */
export function assets(): Assets {
  const runtime = runtimeDir();
  if (runtime)
    return {
      templates: join(runtime, 'templates'),
      pack: dirname(runtime),
      claudeMd: join(runtime, 'templates', 'CLAUDE.md'),
    };
  const root = packageRoot();
  return { templates: join(root, 'templates'), pack: join(root, '.claude'), claudeMd: join(root, 'CLAUDE.md') };
}

/** The pack's runtime folder when this code runs from it. */
function runtimeDir(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    if (basename(dir) === 'runtime' && existsSync(join(dir, 'mm.js')) && existsSync(join(dir, 'templates'))) return dir;
    if (existsSync(join(dir, 'package.json')) && basename(dir) !== 'runtime') return undefined;
  }
  return undefined;
}
