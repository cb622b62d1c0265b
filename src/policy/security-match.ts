/**
 * Finds security concepts in a change the way a reader of code would: by identifier
 * segment (camelCase, snake_case, kebab-case, dotted), not by substring, and weighted by
 * where the match is: a path or a code line counts fully, a comment less, a test less
 * still, prose and lockfiles barely. The change as a whole is security-sensitive when its
 * weighted evidence reaches SENSITIVE_SCORE (see `SecurityTally`).
 */
import { DEFAULT_SECURITY_PATTERNS } from '../config/enums.ts';
import { SECURITY_CONCEPTS, SECURITY_DEPENDENCIES, type SecurityConcept } from './security-concepts.ts';

export type FileKind = 'code' | 'test' | 'prose' | 'manifest' | 'lockfile';
export type Place =
  'path' | 'code' | 'import' | 'comment' | 'test' | 'prose' | 'manifest' | 'dependency' | 'lockfile' | 'advisory';

export interface ConceptHit {
  concept: string;
  /** The term as written in the concept list, e.g. "api key". */
  term: string;
  weight: number;
}

/** How much a match counts, by where it is (multiplied by the concept's own weight). */
export const PLACE_WEIGHT: Record<Place, number> = {
  path: 1.5,
  code: 1,
  /** `import crypto from "node:crypto"` for a UUID says little: imports count like comments. */
  import: 0.4,
  comment: 0.4,
  test: 0.2,
  prose: 0.1,
  manifest: 0.3,
  /** A security library named on a changed line of a dependency manifest … */
  dependency: 2,
  /** … or of a lockfile, where it often just sits next to what changed. */
  lockfile: 0.5,
  /**
   * A changed line anywhere (changelog, test, comment) that names an advisory id
   * (CVE-2024-1234, GHSA-xxxx-xxxx-xxxx, RUSTSEC-2024-0001): the change says it fixes one.
   */
  advisory: 1,
};

/** A change is security-sensitive from this weighted score on. Tuned on the tune corpora. */
export const SENSITIVE_SCORE = 2;
/**
 * One file adds at most this much per concept (times the concept's weight), by place:
 * fifty mentions of "cookie" are one finding, and a concept named only in comments or
 * tests never fires alone.
 */
export const FILE_CONCEPT_CAP: Record<Place, number> = {
  path: 1.5,
  code: 2,
  import: 0.5,
  dependency: 2,
  lockfile: 1,
  comment: 0.5,
  manifest: 0.3,
  test: 0.25,
  prose: 0.1,
  advisory: 1,
};
/** What tests and prose add to a change at most, however many files they span. */
export const CHANGE_PLACE_CAP: Partial<Record<Place, number>> = { test: 1, prose: 0.5, comment: 1.5, manifest: 1 };

const LOCKFILES =
  /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|go\.sum|poetry\.lock|uv\.lock|Pipfile\.lock|Gemfile\.lock|composer\.lock|[^/]*\.lock)$/;
const MANIFESTS =
  /(?:^|\/)(?:package\.json|go\.mod|Cargo\.toml|pyproject\.toml|setup\.py|setup\.cfg|Pipfile|Gemfile|composer\.json|requirements[^/]*\.(?:txt|in)|[^/]*\.csproj|pom\.xml|build\.gradle(?:\.kts)?|deny\.toml)$/;
const PROSE = /\.(?:md|mdx|markdown|rst|txt|adoc)$|(?:^|\/)(?:docs?|documentation|CHANGES|CHANGELOG|LICENSE)(?:\/|$)/i;
const TESTS =
  /(?:^|\/)(?:tests?|__tests__|testdata|test-data|fixtures?|spec|e2e|integration-tests|evals?)\/|[._-](?:test|spec)\.[a-z]+$|_test\.go$|(?:^|\/)test_[^/]*\.py$|\.snap$/i;

/** Examples, samples and demos show a library; they are not the code it ships (their manifests neither). */
const EXAMPLES = /(?:^|\/)(?:examples?|samples?|demos?)\//i;

export function fileKind(path: string): FileKind {
  if (LOCKFILES.test(path)) return 'lockfile';
  if (EXAMPLES.test(path)) return 'test';
  if (MANIFESTS.test(path)) return 'manifest';
  if (TESTS.test(path)) return 'test';
  if (PROSE.test(path)) return 'prose';
  return 'code';
}

/** Lines that are comments in most languages (the line alone; no block tracking). */
const COMMENT = /^\s*(?:\/\/|#(?![![])|\/\*|\*|--|"""|''')/;
const ADVISORY_ID = /\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3}|RUSTSEC-\d{4}-\d{4})\b/i;

const isProseAdvisory = (file: string, place: Place) => place === 'advisory' && fileKind(file) === 'prose';

/** Where a trailing `//` or ` #` comment starts on a code line (outside quotes), or -1. */
export function trailingComment(text: string): number {
  let quote = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '/' && text[i + 1] === '/' && /\s/.test(text[i - 1]!)) return i;
    else if (c === '#' && /\s/.test(text[i - 1]!) && /\s/.test(text[i + 1] ?? ' ')) return i;
  }
  return -1;
}

/**
 * A line of prose inside a code file: a docstring or block-comment line ("Use SHA3-256 for
 * the ETag; the ``trusted_hosts`` list is checked"). Four or more plain words, no code
 * operators, not starting with a keyword; ``quoted`` names count as words.
 */
export function isSentence(text: string): boolean {
  const t = text
    .replace(/``?[^`]*``?/g, 'name')
    .replace(/^\s*:\w+(?:\s+\w+)?:/, '') // ":param trusted_hosts:"
    .trim();
  if (SENTENCE_CODE.test(t) || KEYWORD_START.test(t)) return false;
  const words = t.split(/\s+/);
  return (
    words.length >= 4 &&
    words.every((w) => /^[(["']?[a-z][\w'-]*[).,:;!?\]"']*$|^[-*:|]$|^\d+[.)]?$/i.test(w) && !/_/.test(w))
  );
}
const SENTENCE_CODE = /[=<>{}+*/\\|&$@]|->|::|\w\(|\w\.\w/;
const KEYWORD_START =
  /^(?:if|elif|else|for|while|return|def|class|import|from|let|const|var|fn|func|pub|use|assert|raise|with|not|and|or|in|is|yield|await|async|case|match|try|except|finally|catch|throw|new|type|interface|struct|enum|impl|go|defer|select|switch|break|continue|pass|del|global|nonlocal|lambda|print|echo|end|do|then|unless|until|begin|rescue|ensure|module|require|include|when)\b/;

/** Import lines (JS/TS, Python, Go, Rust, C): a dependency on a module, not its use. */
const IMPORT =
  /^\s*(?:import\b|export \{[^}]*\} from\b|from \S+ import\b|use \w|extern crate\b|#include\b|(?:const|let|var) .*= require\(|"[\w./-]+"$)/;

/**
 * The identifier segments of a text, lower-cased, in order: "getAuthToken(author_id)" →
 * get, auth, token, author, id. Acronyms stay whole ("XMLHttpRequest" → xml, http, request) and digits stay with the
 * letters before them ("OAuth2Client" → oauth2, client; "DEFAULT_PBKDF2_ITERATIONS" → default, pbkdf2, iterations).
 */
export function identifierSegments(text: string): string[] {
  const out: string[] = [];
  for (const word of text.match(WORD) ?? []) {
    if (LOWER_OR_DIGITS.test(word)) {
      out.push(word);
      continue;
    }
    const parts = word.match(CAMEL_PART) ?? [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      // "OAuth", "ETag": a lone capital belongs to the word after it.
      if (part.length === 1 && parts[i + 1] && /^[A-Z]$/.test(part) && /^[A-Z][a-z]/.test(parts[i + 1]!))
        out.push((part + parts[++i]!).toLowerCase());
      else out.push(part.toLowerCase());
    }
  }
  return out;
}
const WORD = /[A-Z0-9]+/gi;
const LOWER_OR_DIGITS = /^[a-z0-9]+$/;
/** Digits stay with the letters before them: PBKDF2 → pbkdf2, sha256Hex → sha256, hex. */
const CAMEL_PART = /[A-Z]+\d*(?![a-z])|[A-Z]?[a-z]+\d*|\d+/g;

interface CompiledTerm {
  concept: SecurityConcept;
  term: string;
  /** Segments; a trailing "*" on one means "starts with". */
  parts: string[];
}

/**
 * The concept list compiled for fast lookup: by first segment, exact or by 4-letter stem.
 * Most changed lines name no concept, so a quick check runs first: a character loop that
 * looks at the first three letters of every place a segment can start (no allocation,
 * no regular expression), and only lines that pass are segmented and matched.
 */
export class ConceptMatcher {
  private readonly exact = new Map<string, CompiledTerm[]>();
  private readonly byStem = new Map<string, CompiledTerm[]>();
  /** Every term's first segment, by its first four letters (see code4) … */
  private readonly keys4 = new Map<number, QuickKey[]>();
  /** … or, for three-letter segments ("tls", "api key"), by those three. */
  private readonly keys3 = new Map<number, QuickKey[]>();
  /** The first two letters of every key, (c0 << 7 | c1) → 4 (keys4), 3 (keys3) or both (7). */
  private readonly pairs = new Uint8Array(1 << 14);
  /** Terms with no segment of three letters or more (custom patterns only). */
  private readonly short: RegExp | null;

  constructor(concepts: SecurityConcept[]) {
    const short: string[] = [];
    for (const concept of concepts) {
      for (const term of concept.terms) {
        const parts = term
          .toLowerCase()
          .split(/[\s_-]+/)
          .filter(Boolean);
        const first = parts[0]!;
        const compiled = { concept, term, parts };
        const index = first.endsWith('*') ? this.byStem : this.exact;
        const key = first.endsWith('*') ? first.slice(0, 4) : first;
        if (!index.has(key)) index.set(key, []);
        index.get(key)!.push(compiled);
        // The quick check looks for the first segment and the start of the second:
        // "session cookie" needs "session" followed by "cook", which is rare.
        const stem = first.replace(/\*$/, '');
        const whole = stem === first;
        const then = whole && parts[1] ? parts[1].replace(/\*$/, '').slice(0, 4) : null;
        if (!/^[a-z0-9]{3,}$/.test(stem) || (stem.length === 3 && !whole)) {
          short.push(stem);
          continue;
        }
        const [quick, code] = stem.length === 3 ? [this.keys3, code4(stem, 0) >>> 7] : [this.keys4, code4(stem, 0)];
        if (!quick.has(code)) quick.set(code, []);
        const list = quick.get(code)!;
        if (!list.some((k) => k.stem === stem && k.whole === whole && k.then === then))
          list.push({ stem, whole, then });
        this.pairs[(code4(stem, 0) >>> 14) & 0x3fff]! |= stem.length === 3 ? 3 : 4;
      }
    }
    this.short = short.length ? new RegExp(short.map(escapeRe).join('|'), 'i') : null;
  }

  /**
   * False when text[start, end) cannot contain any term (no false negatives, few false
   * positives). Reads characters in place: the caller need not cut the line out first.
   */
  mayMatch(text: string, start = 0, end = text.length): boolean {
    if (this.short?.test(start === 0 && end === text.length ? text : text.slice(start, end))) return true;
    const n = end - 2;
    const pairs = this.pairs;
    let prev = OTHER;
    for (let i = start; i < n; i++) {
      const c = text.charCodeAt(i);
      const cls = c < 128 ? CLASS[c]! : OTHER;
      // A segment can start wherever the character class changes (after a non-word
      // character, lower→upper, letter↔digit) or at the last capital of an acronym
      // ("XMLHttp" → Http). Checking a few extra places is harmless; missing one is not.
      if (cls !== OTHER && (cls !== prev || (cls === UPPER && charClass(text.charCodeAt(i + 1)) === LOWER))) {
        const pair = pairs[(lower7(c) << 7) | lower7(text.charCodeAt(i + 1))]!;
        if (pair !== 0) {
          const four = code4(text, i);
          if (pair & 4) {
            const keys = this.keys4.get(four);
            if (keys !== undefined) for (const k of keys) if (keyAt(text, i, k, end)) return true;
          }
          if (pair & 3) {
            const keys = this.keys3.get(four >>> 7);
            if (keys !== undefined) for (const k of keys) if (keyAt(text, i, k, end)) return true;
          }
        }
      }
      prev = cls;
    }
    return false;
  }

  /** Every concept term found in `text`, once per term. */
  match(text: string): ConceptHit[] {
    if (!this.mayMatch(text)) return [];
    const segs = identifierSegments(text);
    let hits: ConceptHit[] | undefined;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      const exact = this.exact.get(seg);
      const stem = seg.length >= 4 ? this.byStem.get(seg.slice(0, 4)) : undefined;
      if (!exact && !stem) continue;
      for (const t of [...(exact ?? []), ...(stem ?? [])]) {
        if (!matchesAt(segs, i, t.parts)) continue;
        hits ??= [];
        if (!hits.some((h) => h.term === t.term))
          hits.push({ concept: t.concept.name, term: t.term, weight: t.concept.weight });
      }
    }
    return hits ?? [];
  }
}

const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const CLASS = new Uint8Array(128).map((_, c) =>
  c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : OTHER,
);
function charClass(c: number): number {
  return c < 128 ? CLASS[c]! : OTHER;
}
/** Four characters from `i`, lower-cased, 7 bits each: one small integer (fast Set keys). */
function code4(text: string, i: number): number {
  return (
    (lower7(text.charCodeAt(i)) << 21) |
    (lower7(text.charCodeAt(i + 1)) << 14) |
    (lower7(text.charCodeAt(i + 2)) << 7) |
    lower7(text.charCodeAt(i + 3))
  );
}
const lower7 = (c: number) => (c >= 65 && c <= 90 ? c | 32 : c & 127);

interface QuickKey {
  /** A term's first segment, without "*". */
  stem: string;
  /** The segment must end after the stem (no "*"). */
  whole: boolean;
  /** The start of the term's second segment, which must follow. */
  then: string | null;
}

/** Whether the key's stem (and the start of the segment after it) is at `i`. */
function keyAt(text: string, i: number, k: QuickKey, end: number): boolean {
  const after = i + k.stem.length;
  if (!startsWithAt(text, i, k.stem, end) || (k.whole && !segmentEndsAt(text, after, end))) return false;
  if (k.then === null) return true;
  let j = after;
  while (j < end && charClass(text.charCodeAt(j)) === OTHER) j++;
  if (j + k.then.length > end) return false;
  for (let t = 0; t < k.then.length; t++) if (lower7(text.charCodeAt(j + t)) !== k.then.charCodeAt(t)) return false;
  return true;
}

/** Whether `text` at `i` reads `stem` (lower-case) before `end`, ignoring case. */
function startsWithAt(text: string, i: number, stem: string, end: number): boolean {
  if (i + stem.length > end) return false;
  for (let k = 3; k < stem.length; k++) if (lower7(text.charCodeAt(i + k)) !== stem.charCodeAt(k)) return false;
  return true;
}

/** Whether a segment may end before position `at` (generously: any class change). */
function segmentEndsAt(text: string, at: number, end: number): boolean {
  if (at >= end) return true;
  const next = charClass(text.charCodeAt(at));
  const last = charClass(text.charCodeAt(at - 1));
  return (
    next === OTHER || next !== last || (last === UPPER && at + 1 < end && charClass(text.charCodeAt(at + 1)) === LOWER)
  );
}

function matchesAt(segs: string[], i: number, parts: string[]): boolean {
  for (let k = 0; k < parts.length; k++) {
    const seg = segs[i + k];
    const part = parts[k]!;
    if (seg === undefined) return false;
    if (part.endsWith('*') ? !seg.startsWith(part.slice(0, -1)) : seg !== part) return false;
  }
  return true;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `[thresholds].security_sensitive_patterns` as concepts: a word matches identifier
 * segments that start with it ("sanitiz" → sanitize, sanitizer), other text a substring.
 * The old default list means "the built-in concepts", so configs written from the old
 * template do not bring substring matching back.
 */
export const LEGACY_DEFAULT_PATTERNS = DEFAULT_SECURITY_PATTERNS;

export function customConcepts(patterns: string[]): { words: SecurityConcept[]; substrings: string[] } {
  const legacy =
    patterns.length === LEGACY_DEFAULT_PATTERNS.length &&
    LEGACY_DEFAULT_PATTERNS.every((p) => patterns.some((q) => q.toLowerCase() === p));
  if (legacy) return { words: [], substrings: [] };
  const words = patterns.filter((p) => /^[\w -]+$/.test(p));
  const substrings = patterns.filter((p) => !words.includes(p)).map((p) => p.toLowerCase());
  return {
    words: words.map((p) => ({
      name: `custom: ${p}`,
      weight: 2,
      terms: [
        p
          .toLowerCase()
          .split(/[\s_-]+/)
          .filter(Boolean)
          .map((s) => (s.length >= 4 ? `${s}*` : s))
          .join(' '),
      ],
    })),
    substrings,
  };
}

export interface SecurityEvidence {
  file: string;
  /** Line in the new file (old file for a removed line); absent for a path match. */
  line?: number;
  concept: string;
  term: string;
  place: Place;
  weight: number;
  text?: string;
}

const NOTHING: { place: Place; hits: ConceptHit[] } = { place: 'lockfile', hits: [] };

/**
 * Everything `mm check` needs to match: the built-in concepts plus the user's patterns,
 * applied by file kind. One instance per analysis.
 */
export class SecurityMatcher {
  private readonly concepts: ConceptMatcher;
  private readonly dependencies: ConceptMatcher;
  private readonly substrings: string[];

  constructor(patterns: string[] = []) {
    const custom = customConcepts(patterns);
    this.concepts = new ConceptMatcher([...SECURITY_CONCEPTS, ...custom.words]);
    this.dependencies = new ConceptMatcher([{ name: 'security dependency', weight: 1, terms: SECURITY_DEPENDENCIES }]);
    this.substrings = custom.substrings;
  }

  /** Concepts in a changed line of a file of the given kind, with the place they count as. */
  line(text: string, kind: FileKind): { place: Place; hits: ConceptHit[] } {
    // Lockfiles repeat what their manifests say, thousands of lines at a time: not scanned.
    if (kind === 'lockfile') return NOTHING;
    if (kind === 'manifest') {
      const deps = this.dependencies.match(text);
      if (deps.length) return { place: 'dependency', hits: deps };
    }
    if (ADVISORY_ID.test(text))
      return { place: 'advisory', hits: this.withSubstrings(text, this.concepts.match(text)) };
    if (kind !== 'code') return { place: kind, hits: this.withSubstrings(text, this.concepts.match(text)) };
    if (COMMENT.test(text) || isSentence(text))
      return { place: 'comment', hits: this.withSubstrings(text, this.concepts.match(text)) };
    // A trailing comment ("x := f() // nolint:gosec // path traversal checked") counts as a comment.
    const cut = trailingComment(text);
    const code = cut < 0 ? text : text.slice(0, cut);
    const hits = this.withSubstrings(code, this.concepts.match(code));
    if (hits.length) return { place: IMPORT.test(text) ? 'import' : 'code', hits };
    if (cut < 0) return { place: 'code', hits };
    return { place: 'comment', hits: this.withSubstrings(text, this.concepts.match(text.slice(cut))) };
  }

  /** Quick check of a changed line in data[start, end) (see ConceptMatcher.mayMatch). */
  mayMatch(data: string, start: number, end: number, kind: FileKind): boolean {
    if (this.substrings.length) return true;
    return (
      this.concepts.mayMatch(data, start, end) || (kind === 'manifest' && this.dependencies.mayMatch(data, start, end))
    );
  }

  /** Concepts in a path (its segments: "src/auth/oauth2.ts" → auth, oauth2). */
  path(path: string): ConceptHit[] {
    return this.withSubstrings(path, this.concepts.match(path));
  }

  private withSubstrings(text: string, hits: ConceptHit[]): ConceptHit[] {
    if (!this.substrings.length) return hits;
    const lower = text.toLowerCase();
    const extra = this.substrings
      .filter((s) => lower.includes(s))
      .map((s) => ({ concept: `custom: ${s}`, term: s, weight: 2 }));
    return extra.length ? [...hits, ...extra] : hits;
  }
}

/**
 * Adds up the evidence of one change: per file and concept at most FILE_CONCEPT_CAP,
 * so the score grows with how many places are touched, not how often a word repeats.
 */
export class SecurityTally {
  private readonly perFileConcept = new Map<string, number>();
  private readonly perPlace = new Map<Place, number>();
  /** Evidence from code, paths, tests, comments … */
  private own = 0;
  /**
   * … and advisory ids named only in prose (a changelog entry "fix CVE-…"), which count
   * when the change has evidence of its own: a release commit that only copies the
   * changelog line is not the fix.
   */
  private proseAdvisory = 0;

  get score(): number {
    const outsideProse = this.own - (this.perPlace.get('prose') ?? 0);
    return this.own + (outsideProse > 0 ? this.proseAdvisory : 0);
  }

  /** `weight` is already scaled by place; `conceptWeight` scales the per-file cap. */
  add(file: string, concept: string, place: Place, weight: number, conceptWeight = 1): void {
    const key = `${file}\0${concept}\0${place}`;
    const before = this.perFileConcept.get(key) ?? 0;
    const added = Math.min(FILE_CONCEPT_CAP[place] * conceptWeight, before + weight) - before;
    if (added <= 0) return;
    const placeCap = CHANGE_PLACE_CAP[place];
    const placeBefore = this.perPlace.get(place) ?? 0;
    const counted = placeCap === undefined ? added : Math.min(placeCap - placeBefore, added);
    if (counted <= 0) return;
    this.perFileConcept.set(key, before + counted);
    this.perPlace.set(place, placeBefore + counted);
    if (isProseAdvisory(file, place)) this.proseAdvisory += counted;
    else this.own += counted;
  }

  /** Takes a file's evidence back out of the score. */
  drop(file: string): void {
    for (const [key, counted] of this.perFileConcept) {
      if (!key.startsWith(`${file}\0`)) continue;
      const place = key.slice(key.lastIndexOf('\0') + 1) as Place;
      this.perPlace.set(place, (this.perPlace.get(place) ?? 0) - counted);
      if (isProseAdvisory(file, place)) this.proseAdvisory -= counted;
      else this.own -= counted;
      this.perFileConcept.delete(key);
    }
  }

  get sensitive(): boolean {
    return this.score >= SENSITIVE_SCORE;
  }

  /** Files whose own evidence adds up to something (for "N security-sensitive files"). */
  files(min = 1): string[] {
    const byFile = new Map<string, number>();
    for (const [key, w] of this.perFileConcept) {
      const file = key.slice(0, key.indexOf('\0'));
      byFile.set(file, (byFile.get(file) ?? 0) + w);
    }
    return [...byFile].filter(([, w]) => w >= min).map(([f]) => f);
  }
}
