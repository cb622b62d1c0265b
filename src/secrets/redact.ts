/**
 * Redaction of secret-looking strings: secretlint's recommended rules plus mm's own
 * patterns (secrets/patterns.ts) plus [secrets].patterns, merged into one set of ranges.
 * A redacted range keeps its line count (each line becomes the marker), so line numbers
 * around it stay true, and redacting redacted text changes nothing.
 */
import { MmError } from '../util/errors.ts';
import { looksSecret, SECRET_PATTERNS } from './patterns.ts';
import { secretlintRanges, type SecretRange } from './secretlint.ts';

export interface Redaction {
  text: string;
  /** Kind → how many ranges were redacted. */
  found: Map<string, number>;
}

const WITH_INDICES = SECRET_PATTERNS.map((p) => ({ ...p, re: new RegExp(p.re.source, `${p.re.flags}d`) }));
const MARKER = '[REDACTED';

export function redactSecrets(text: string, configPatterns: string[] = []): Redaction {
  const ranges: SecretRange[] = [];
  for (const p of WITH_INDICES) {
    for (const m of text.matchAll(p.re)) {
      const indices = m.indices!;
      if (p.assignment) {
        const g = m[2] !== undefined ? 2 : m[3] !== undefined ? 3 : 4;
        const value = m[g];
        if (!value || !looksSecret(m[1]!, value)) continue;
        ranges.push({ start: indices[g]![0], end: indices[g]![1], kind: `value of ${m[1]}` });
      } else if (indices.groups?.secret) {
        ranges.push({ start: indices.groups.secret[0], end: indices.groups.secret[1], kind: p.kind });
      } else ranges.push({ start: indices[0]![0], end: indices[0]![1], kind: p.kind });
    }
  }
  ranges.push(...keyTails(text));
  ranges.push(...secretlintRanges(text));
  for (const source of configPatterns) {
    for (const m of text.matchAll(configPattern(source)))
      if (m[0])
        ranges.push({ start: m.index!, end: m.index! + m[0].length, kind: `match of [secrets].patterns "${source}"` });
  }
  return apply(text, ranges);
}

const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/g;
/** A key body line (trimmed), bare or as a numbered packet line ("12+MIIEv…"). */
const KEY_BODY_LINE = /^(?:\d*[+-][ \t]*|\d+[ \t]+)?[A-Z0-9+/=]{16,}$/i;

/**
 * The second half of a private key whose BEGIN line is elsewhere (another chunk, outside
 * the hunk): the END line and the key-body lines above it. A scan, not a regex: a
 * backtracking pattern over long lines would take minutes on a 1 MB prompt.
 */
function keyTails(text: string): SecretRange[] {
  const out: SecretRange[] = [];
  for (const m of text.matchAll(KEY_END)) {
    let start = text.lastIndexOf('\n', m.index! - 1) + 1;
    // A 16 kbit RSA key has ~200 body lines: a longer walk is not a key.
    for (let n = 0; start > 0 && n < 256; n++) {
      const prev = text.lastIndexOf('\n', start - 2) + 1;
      if (!KEY_BODY_LINE.test(text.slice(prev, start - 1).trim())) break;
      start = prev;
    }
    out.push({ start, end: m.index! + m[0].length, kind: 'private key' });
  }
  return out;
}

function apply(text: string, ranges: SecretRange[]): Redaction {
  const kept = ranges
    .filter((r) => !text.startsWith(MARKER, r.start) && text.slice(r.start, r.end).trim() !== '')
    .sort((a, b) => a.start - b.start);
  const merged: SecretRange[] = [];
  for (const r of kept) {
    const last = merged.at(-1);
    if (last && r.start < last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  const found = new Map<string, number>();
  let out = '';
  let at = 0;
  for (const r of merged) {
    found.set(r.kind, (found.get(r.kind) ?? 0) + 1);
    const marker =
      r.kind.startsWith('value of ') || r.kind.startsWith('match of ') ? '[REDACTED]' : `[REDACTED ${r.kind}]`;
    out +=
      text.slice(at, r.start) +
      text
        .slice(r.start, r.end)
        .split('\n')
        .map(() => marker)
        .join('\n');
    at = r.end;
  }
  return { text: out + text.slice(at), found };
}

/** A [secrets].patterns entry; one that does not compile stops the call (fail closed) with a config error. */
function configPattern(source: string): RegExp {
  try {
    return new RegExp(source, 'g');
  } catch (e) {
    throw new MmError(
      'config',
      `[secrets].patterns: "${source}" is not a valid regular expression (${(e as Error).message}); nothing was sent`,
    );
  }
}
