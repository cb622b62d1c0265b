/**
 * Per-language facts for the repo map, as data: file extensions, how imports and
 * exported symbols look. Regexes over source, not parsers: the map is an index for
 * orientation (§6.1), and it must stay fast on every run.
 */
export interface LanguageSpec {
  id: string;
  extensions: string[];
  imports: RegExp[];
  symbols: RegExp[];
}

const JS_IMPORTS = [
  /\b(?:import|export)\s(?:[^'";]*?\s)?from\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const JS_SYMBOLS = [
  /^export\s+(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/gm,
];

const LANGUAGES: LanguageSpec[] = [
  { id: 'ts', extensions: ['.ts', '.tsx', '.mts', '.cts'], imports: JS_IMPORTS, symbols: JS_SYMBOLS },
  { id: 'js', extensions: ['.js', '.jsx', '.mjs', '.cjs'], imports: JS_IMPORTS, symbols: JS_SYMBOLS },
  {
    id: 'py',
    extensions: ['.py'],
    imports: [/^\s*from\s+([.\w]+)\s+import\b/gm, /^\s*import\s+([\w.]+)/gm],
    symbols: [/^(?:async\s+)?def\s+([A-Za-z]\w*)/gm, /^class\s+([A-Za-z]\w*)/gm],
  },
  {
    id: 'go',
    extensions: ['.go'],
    imports: [/^\s*import\s+(?:\w+\s+)?"([^"]+)"/gm, /^\s+(?:\w+\s+)?"([^"]+)"\s*$/gm],
    symbols: [/^func\s+(?:\([^)]*\)\s*)?([A-Z]\w*)/gm, /^type\s+([A-Z]\w*)/gm],
  },
  {
    id: 'rs',
    extensions: ['.rs'],
    imports: [/^\s*(?:pub\s+)?use\s+([\w:]+)/gm, /^\s*(?:pub\s+)?mod\s+(\w+)\s*;/gm],
    symbols: [/^\s*pub\s+(?:async\s+)?(?:fn|struct|enum|trait|type|const|static|mod)\s+(\w+)/gm],
  },
];

/** Languages tracked for size and counts only (no imports or symbols). */
const OTHER: Record<string, string> = {
  '.md': 'markdown',
  '.json': 'json',
  '.toml': 'toml',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.css': 'css',
  '.html': 'html',
  '.sh': 'shell',
  '.java': 'java',
  '.kt': 'kotlin',
  '.rb': 'ruby',
  '.php': 'php',
  '.c': 'c',
  '.h': 'c',
  '.cpp': 'cpp',
  '.cs': 'csharp',
  '.swift': 'swift',
  '.sql': 'sql',
};

const BY_EXT = new Map(LANGUAGES.flatMap((l) => l.extensions.map((e) => [e, l] as const)));

export function languageOf(path: string): { id: string; spec?: LanguageSpec } {
  const dot = path.lastIndexOf('.');
  const ext = dot > path.lastIndexOf('/') ? path.slice(dot).toLowerCase() : '';
  const spec = BY_EXT.get(ext);
  return spec ? { id: spec.id, spec } : { id: OTHER[ext] ?? 'other' };
}

export function matchAll(text: string, patterns: RegExp[]): string[] {
  const out = new Set<string>();
  for (const re of patterns) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) if (m[1]) out.add(m[1]);
  }
  return [...out];
}

/** `export { a, b as c }` names (JS/TS), which the declaration regex cannot see. */
export function exportLists(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (name && /^[A-Z_$][\w$]*$/i.test(name)) out.push(name);
    }
  }
  return out;
}
