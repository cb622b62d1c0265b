/**
 * Maps key paths ("models.codex.default_model", "registry.models.0.id") to the line that
 * sets them, so errors and `mm config show` can point at file:line. smol-toml gives
 * values but no positions; this is a line scanner over already-valid TOML, so it only
 * needs to follow headers, keys, inline tables and multi-line values.
 */
export type KeyLines = Map<string, number>;

const BARE_KEY = /^(?:[\w-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\s*\.\s*(?:[\w-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*/;

function splitKey(raw: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:([\w-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(?:\.|$)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < raw.length && (m = re.exec(raw))) parts.push(m[1] ?? m[2] ?? m[3] ?? '');
  return parts;
}

/** Bracket depth change of a line, ignoring brackets inside strings and comments. */
function depthDelta(line: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') break;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth;
}

export function locateKeys(source: string): KeyLines {
  const lines = source.split(/\r?\n/);
  const found: KeyLines = new Map();
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let openDepth = 0;
  let inMultilineString: string | null = null;

  const record = (path: string[], line: number) => {
    const key = path.join('.');
    if (!found.has(key)) found.set(key, line);
  };

  lines.forEach((text, index) => {
    const lineNo = index + 1;
    if (inMultilineString) {
      if (text.includes(inMultilineString)) inMultilineString = null;
      return;
    }
    if (openDepth > 0) {
      openDepth += depthDelta(text);
      return;
    }
    const line = text.trim();
    if (line === '' || line.startsWith('#')) return;

    const arrayHeader = /^\[\[([^\]]+)\]\]/.exec(line);
    if (arrayHeader) {
      const base = splitKey(arrayHeader[1]!).join('.');
      const n = arrayCounts.get(base) ?? 0;
      arrayCounts.set(base, n + 1);
      table = [...base.split('.'), String(n)];
      record(table, lineNo);
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      table = splitKey(header[1]!);
      for (let i = 1; i <= table.length; i++) record(table.slice(0, i), lineNo);
      return;
    }

    const keyMatch = BARE_KEY.exec(line);
    if (!keyMatch) return;
    const rest = line.slice(keyMatch[0].length).trimStart();
    if (!rest.startsWith('=')) return;
    const path = [...table, ...splitKey(keyMatch[0])];
    record(path, lineNo);

    const value = rest.slice(1).trim();
    if (value.startsWith('{')) {
      // Inline table: record its own keys on this line too.
      const inner = /([\w-]+)\s*=/g;
      let m: RegExpExecArray | null;
      while ((m = inner.exec(value))) record([...path, m[1]!], lineNo);
    }
    for (const fence of ['"""', "'''"]) {
      if (value.startsWith(fence) && !value.slice(3).includes(fence)) inMultilineString = fence;
    }
    openDepth = Math.max(0, depthDelta(value));
  });
  return found;
}

/** The line of a path, or of its nearest recorded parent. */
export function lineOf(lines: KeyLines, path: ReadonlyArray<string | number>): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const line = lines.get(path.slice(0, n).join('.'));
    if (line !== undefined) return line;
  }
  return undefined;
}
