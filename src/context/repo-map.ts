/**
 * `ai/repo.map.json` (files, sizes, languages, in-repo imports) and
 * `ai/symbols-<lang>.json` (exported symbols per file): the index models get instead of
 * the repository (§5.4, §6.1). Incremental: a file whose size and mtime match the last
 * map is not read again, unless the set of files changed since that map: then its imports
 * are resolved again (an added file may now be what it imports, a removed one no longer
 * is). Files are only rewritten when their content changes.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gitOk } from '../git/git.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { exportLists, languageOf, matchAll } from './languages.ts';

const MAP_DIR = 'ai';
const MAP_FILE = 'repo.map.json';
const MAX_PARSE_BYTES = 1024 * 1024;

interface MapEntry {
  path: string;
  size: number;
  mtimeMs: number;
  language: string;
  /** In-repo files this one imports (resolved paths); external packages are left out. */
  imports: string[];
}

export interface RepoMap {
  version: 1;
  files: MapEntry[];
}

export interface BuiltMap {
  map: RepoMap;
  symbols: Record<string, Record<string, string[]>>;
  /** reresolved: unchanged files read again only to resolve their imports against a changed file set. */
  stats: { files: number; parsed: number; reused: number; reresolved: number; written: string[]; ms: number };
}

export async function buildRepoMap(root: string, opts: { force?: boolean } = {}): Promise<BuiltMap> {
  const started = Date.now();
  const listed = (await gitOk(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root))
    .split('\0')
    .filter((p) => p && !p.startsWith(`${MAP_DIR}/`) && !p.startsWith('.claude/mm/'));
  const paths = [...new Set(listed)].sort();
  const all = new Set(paths);
  const previous = opts.force ? null : readRepoMap(root);
  const prevByPath = new Map((previous?.map.files ?? []).map((f) => [f.path, f]));
  // Any added file may be what an unchanged file's import now resolves to; a removed
  // file only matters to the files that imported it.
  const added = paths.some((p) => !prevByPath.has(p));
  const removed = new Set([...prevByPath.keys()].filter((p) => !all.has(p)));
  const stale = (old: MapEntry) => added || old.imports.some((p) => removed.has(p));
  const files: MapEntry[] = [];
  const symbols: BuiltMap['symbols'] = {};
  let parsed = 0;
  let reresolved = 0;
  for (const path of paths) {
    let st;
    try {
      st = statSync(join(root, path));
    } catch {
      continue; // deleted in the working tree but still in the index
    }
    if (!st.isFile()) continue;
    const { id, spec } = languageOf(path);
    const old = prevByPath.get(path);
    if (old && old.size === st.size && old.mtimeMs === st.mtimeMs && old.language === id) {
      if (spec && st.size <= MAX_PARSE_BYTES && stale(old)) {
        reresolved++;
        files.push({ ...old, imports: importsOf(readFileSync(join(root, path), 'utf8'), path, id, spec.imports, all) });
      } else files.push(old);
      const oldSymbols = previous!.symbols[id]?.[path];
      if (oldSymbols) (symbols[id] ??= {})[path] = oldSymbols;
      continue;
    }
    const entry: MapEntry = { path, size: st.size, mtimeMs: st.mtimeMs, language: id, imports: [] };
    if (spec && st.size <= MAX_PARSE_BYTES) {
      parsed++;
      const text = readFileSync(join(root, path), 'utf8');
      entry.imports = importsOf(text, path, id, spec.imports, all);
      const names = [
        ...new Set([...matchAll(text, spec.symbols), ...(id === 'ts' || id === 'js' ? exportLists(text) : [])]),
      ];
      if (id === 'py') names.splice(0, names.length, ...names.filter((n) => !n.startsWith('_')));
      if (names.length) (symbols[id] ??= {})[path] = names;
    }
    files.push(entry);
  }
  const map: RepoMap = { version: 1, files };
  const written = writeMap(root, map, symbols);
  return {
    map,
    symbols,
    stats: {
      files: files.length,
      parsed,
      reused: files.length - parsed,
      reresolved,
      written,
      ms: Date.now() - started,
    },
  };
}

function importsOf(
  text: string,
  path: string,
  language: string,
  patterns: Parameters<typeof matchAll>[1],
  all: Set<string>,
): string[] {
  return matchAll(text, patterns)
    .map((spec) => resolveImport(path, spec, language, all))
    .filter((p): p is string => p !== null && p !== path);
}

function writeMap(root: string, map: RepoMap, symbols: BuiltMap['symbols']): string[] {
  const written: string[] = [];
  const put = (name: string, value: unknown) => {
    const file = join(root, MAP_DIR, name);
    const text = `${JSON.stringify(value, null, 1)}\n`;
    if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
    writeFileAtomic(file, text);
    written.push(posix.join(MAP_DIR, name));
  };
  put(MAP_FILE, map);
  for (const [lang, byFile] of Object.entries(symbols))
    put(`symbols-${lang}.json`, { language: lang, files: sortKeys(byFile) });
  return written;
}

const sortKeys = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** The last map written, with its symbol files; null when there is none (or it is unreadable). */
export function readRepoMap(root: string): { map: RepoMap; symbols: BuiltMap['symbols'] } | null {
  const file = join(root, MAP_DIR, MAP_FILE);
  if (!existsSync(file)) return null;
  try {
    const map = JSON.parse(readFileSync(file, 'utf8')) as RepoMap;
    if (map.version !== 1 || !Array.isArray(map.files)) return null;
    const symbols: BuiltMap['symbols'] = {};
    for (const lang of new Set(map.files.map((f) => f.language))) {
      const symFile = join(root, MAP_DIR, `symbols-${lang}.json`);
      if (existsSync(symFile))
        symbols[lang] = (JSON.parse(readFileSync(symFile, 'utf8')) as { files: Record<string, string[]> }).files;
    }
    return { map, symbols };
  } catch {
    return null; // a corrupt map is rebuilt, not trusted
  }
}

const JS_EXTS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js'];

/** A specifier to a repo path, when it names a file in the repo; null for packages. */
function resolveImport(from: string, spec: string, language: string, files: Set<string>): string | null {
  const dir = dirname(from) === '.' ? '' : dirname(from);
  if (language === 'ts' || language === 'js') {
    if (!spec.startsWith('.')) return null;
    const base = posix.normalize(posix.join(dir, spec));
    const stem = base.replace(/\.(m|c)?js$/, '');
    for (const candidate of [...JS_EXTS.map((e) => base + e), ...JS_EXTS.map((e) => stem + e)])
      if (files.has(candidate)) return candidate;
    return null;
  }
  if (language === 'py') {
    const dots = /^\.*/.exec(spec)![0].length;
    const rest = spec.slice(dots).replace(/\./g, '/');
    let baseDir = '';
    if (dots > 0) {
      baseDir = dir;
      for (let i = 1; i < dots; i++) baseDir = posix.dirname(baseDir) === '.' ? '' : posix.dirname(baseDir);
    }
    const base = posix.join(baseDir, rest);
    for (const candidate of [`${base}.py`, `${base}/__init__.py`]) if (files.has(candidate)) return candidate;
    return null;
  }
  if (language === 'rs') {
    const name = spec.split('::').filter((s) => s !== 'crate' && s !== 'self' && s !== 'super')[0];
    if (!name) return null;
    for (const candidate of [posix.join(dir, `${name}.rs`), posix.join(dir, name, 'mod.rs'), `src/${name}.rs`])
      if (files.has(candidate)) return candidate;
    return null;
  }
  return null; // Go imports name packages, not files
}
