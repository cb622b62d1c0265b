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
  | 'path'
  | 'code'
  | 'import'
  | 'comment'
  | 'test'
  | 'prose'
  | 'manifest'
  | 'dependency'
  | 'lockfile'
  | 'advisory';

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
 * Evidence from the shape of a change rather than its words: a small code change that
 * comes with its tests is how fixes look, security fixes more than most (36% of the
 * security commits of the first tune corpora, 11% of the others). It adds to evidence the
 * change already has and never fires alone. Measured in bench/corpus/README.md (held-out
 * run 3); a "lockfiles only" signal was tried there too and dropped: Dependabot's
 * transitive bumps touch lockfiles only.
 */
export const SMALL_FIX = { maxCodeFiles: 2, maxCodeLines: 30, score: 0.5 };

/** A changed file's size, read when the score is (an untracked file is still being read). */
export interface ChangedSize {
  added: number;
  removed: number;
}

/**
 * One file adds at most this much per concept (times the concept's weight), by place:
 * fifty mentions of "cookie" are one finding, and a concept named only in comments or
 * tests never fires alone.
 */
const FILE_CONCEPT_CAP: Record<Place, number> = {
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
const CHANGE_PLACE_CAP: Partial<Record<Place, number>> = { test: 1, prose: 0.5, comment: 1.5, manifest: 1 };

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
  let kind = KINDS.get(path);
  if (kind === undefined) KINDS.set(path, (kind = classify(path)));
  return kind;
}
/** Kinds already worked out: the scanners ask about each file of a change several times. */
const KINDS = new Map<string, FileKind>();

function classify(path: string): FileKind {
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
function trailingComment(text: string): number {
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
function isSentence(text: string): boolean {
  const t = text
    .replace(/``?[^`]*``?/g, 'name')
    .replace(/^\s*:\w+(?:\s+\w+)?:/, '') // ":param trusted_hosts:"
    .trim();
  if (SENTENCE_CODE.test(t) || KEYWORD_START.test(t)) return false;
  const words = t.split(/\s+/);
  return (
    words.length >= 4 &&
    words.every(
      (w) => /^[(["']?[a-z][\w'-]*(?:[).,:;!?\]"][).,:;!?\]"']*)?$|^[-*:|]$|^\d+[.)]?$/i.test(w) && !/_/.test(w),
    )
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
  for (const word of text.match(WORD) ?? []) wordSegments(word, out);
  return out;
}

/** The segments of one word (a run of ASCII letters and digits), appended to `out`. */
function wordSegments(word: string, out: string[]): void {
  if (LOWER_OR_DIGITS.test(word)) {
    out.push(word);
    return;
  }
  const parts = word.match(CAMEL_PART) ?? [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    // "OAuth", "ETag": a lone capital belongs to the word after it.
    if (part.length === 1 && i + 1 < parts.length && /^[A-Z]$/.test(part) && /^[A-Z][a-z]/.test(parts[i + 1]!))
      out.push((part + parts[++i]!).toLowerCase());
    else out.push(part.toLowerCase());
  }
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
  /** The segments without their "*", and which of them had one. */
  bare: string[];
  prefix: boolean[];
}

/**
 * The concept list compiled for fast lookup: by first segment, exact or by 4-letter stem.
 * Most changed lines name no concept, and most words of the ones that do are not one, so
 * matching starts from `candidates`, one regular expression of every term's first segment
 * (any case) that the regexp engine runs over a whole chunk of diff at native speed. Only
 * the words it lands in are cut into segments and looked up; a word it does not land in
 * cannot start a term, because a segment is a substring of its word.
 */
export class ConceptMatcher {
  private readonly exact = new Map<string, CompiledTerm[]>();
  private readonly byStem = new Map<string, CompiledTerm[]>();
  /**
   * Every term's first segment without its "*" (and, for a whole first segment, the start
   * of the second one after it), case-insensitive; global: use with lastIndex.
   */
  readonly candidates: RegExp;

  /** `candidates`: the regular expression's source when already known (built in, see BUILT_CANDIDATES). */
  constructor(concepts: SecurityConcept[], candidates?: string) {
    // Only built when the expression is not given (the built-in one comes from the build).
    const firsts = candidates === undefined ? new CandidateTrie() : undefined;
    for (const concept of concepts) {
      for (const term of concept.terms) {
        const parts = term
          .toLowerCase()
          .split(/[\s_-]+/)
          .filter(Boolean);
        const first = parts[0]!;
        const bare = parts.map((p) => p.replace(/\*$/, ''));
        const compiled = { concept, term, parts, bare, prefix: parts.map((p) => p.endsWith('*')) };
        const index = first.endsWith('*') ? this.byStem : this.exact;
        const key = first.endsWith('*') ? first.slice(0, 4) : first;
        if (!index.has(key)) index.set(key, []);
        index.get(key)!.push(compiled);
        // "access token" is a candidate where "access" is followed by "token" (in the next
        // segment, after any separator): common first words stay rare candidates.
        const stem = first.replace(/\*$/, '');
        const then = stem === first && parts[1] ? parts[1].replace(/\*$/, '') : '';
        if (stem) firsts?.add(stem, then);
      }
    }
    this.candidates = new RegExp(candidates ?? firsts!.source(), 'gi');
  }

  /** Every concept term found in `text`, once per term, in the order they occur. */
  match(text: string): ConceptHit[] {
    const found: ConceptHit[] = [];
    const re = this.candidates;
    re.lastIndex = 0;
    let wordEnd = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text))
      if (m.index >= wordEnd) wordEnd = this.matchWord(text, m.index, 0, text.length, found);
    return found;
  }

  /**
   * Whether the line text[start, end) holds a term, as its own match() would find one; `first`
   * is the line's first candidate. Only the words candidates land in are read, one search per
   * word, resumed after it; `search` finds the next candidate at or after a position. A search
   * in the whole chunk may land in a word or two more than one in the line alone (a lookahead
   * can see past the line's end), but a word holds a term within the line only if the line's
   * own search lands in it too, so the answer is the same.
   */
  anyTermIn(text: string, first: number, start: number, end: number, search: (from: number) => number): boolean {
    const found = this.scratch;
    found.length = 0;
    for (let p = first; p < end;) {
      const wordEnd = this.matchWord(text, p, start, end, found);
      if (found.length) return true;
      p = search(wordEnd);
    }
    return false;
  }
  private readonly scratch: ConceptHit[] = [];

  /**
   * Terms that start in the word around text[at] (words never reach past [start, end)),
   * added to `found` unless already there; returns where the word ends. A term of several
   * segments may continue into the words after it, as it does in identifierSegments().
   */
  private matchWord(text: string, at: number, start: number, end: number, found: ConceptHit[]): number {
    let from = at;
    while (from > start && isWordChar(text.charCodeAt(from - 1))) from--;
    let to = at;
    while (to < end && isWordChar(text.charCodeAt(to))) to++;
    const segs: string[] = [];
    wordSegments(text.slice(from, to), segs);
    const own = segs.length;
    let next = to; // where segments after this word are read from, when a term needs them
    for (let i = 0; i < own; i++) {
      const seg = segs[i]!;
      const exact = this.exact.get(seg);
      if (exact !== undefined) next = this.termsAt(exact, segs, i, text, next, end, found);
      const stem = seg.length >= 4 ? this.byStem.get(seg.slice(0, 4)) : undefined;
      if (stem !== undefined) next = this.termsAt(stem, segs, i, text, next, end, found);
    }
    return to;
  }

  /** matchWord's step for one list of terms at segment i; returns where segments were read up to. */
  private termsAt(
    terms: CompiledTerm[],
    segs: string[],
    i: number,
    text: string,
    next: number,
    end: number,
    found: ConceptHit[],
  ): number {
    for (let j = 0; j < terms.length; j++) {
      const t = terms[j]!;
      while (segs.length < i + t.parts.length && next < end) next = nextWordSegments(text, next, end, segs);
      if (matchesAt(segs, i, t) && !hasTerm(found, t.term))
        found.push({ concept: t.concept.name, term: t.term, weight: t.concept.weight });
    }
    return next;
  }
}

/**
 * The candidates' regular expression as a trie ("a(?:uth|pi(?=…key)|…)|…"): the regexp
 * engine then decides by one character at each step instead of trying every term. A stem
 * that another one starts with adds nothing (the shorter one already lands in its word).
 */
class CandidateTrie {
  private readonly root: TrieNode = { next: new Map(), end: false, then: new Set() };

  /** A first segment, and the start of the segment that must follow it ('' for none). */
  add(stem: string, then: string): void {
    let node = this.root;
    for (const c of stem) {
      let child = node.next.get(c);
      if (!child) node.next.set(c, (child = { next: new Map(), end: false, then: new Set() }));
      node = child;
    }
    if (then) node.then.add(then);
    else node.end = true;
  }

  /** The regular expression's source; one that never matches for no terms. */
  source(): string {
    return this.root.next.size ? emit(this.root) : '(?!)';
    function emit(node: TrieNode): string {
      if (node.end) return '';
      const alternatives = [
        ...[...node.then].map((t) => `(?=[^a-z0-9]*${escapeRe(t)})`),
        ...[...node.next].map(([c, child]) => escapeRe(c) + emit(child)),
      ];
      return alternatives.length === 1 ? alternatives[0]! : `(?:${alternatives.join('|')})`;
    }
  }
}

interface TrieNode {
  next: Map<string, TrieNode>;
  /** A stem ends here: any text from here on is a candidate. */
  end: boolean;
  then: Set<string>;
}

/** ASCII letters and digits: what identifierSegments' words are made of. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** Appends the segments of the next word at or after `at` (before `end`); returns where it ends. */
function nextWordSegments(text: string, at: number, end: number, out: string[]): number {
  let from = at;
  while (from < end && !isWordChar(text.charCodeAt(from))) from++;
  let to = from;
  while (to < end && isWordChar(text.charCodeAt(to))) to++;
  if (to > from) wordSegments(text.slice(from, to), out);
  return to;
}

function hasTerm(found: ConceptHit[], term: string): boolean {
  for (let k = 0; k < found.length; k++) if (found[k]!.term === term) return true;
  return false;
}

function matchesAt(segs: string[], i: number, term: CompiledTerm): boolean {
  const { bare, prefix } = term;
  // Checked up front: reading past an array's end makes V8 throw away its optimised code.
  if (i + bare.length > segs.length) return false;
  for (let k = 0; k < bare.length; k++) {
    const seg = segs[i + k]!;
    if (prefix[k] ? !seg.startsWith(bare[k]!) : seg !== bare[k]) return false;
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
const LEGACY_DEFAULT_PATTERNS = DEFAULT_SECURITY_PATTERNS;

function customConcepts(patterns: string[]): { words: SecurityConcept[]; substrings: string[] } {
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

const NOTHING: { place: Place; hits: ConceptHit[] } = { place: 'lockfile', hits: [] };

/** Replaced at build time by the built-in concepts' candidates source (scripts/build.mjs). */
declare const __MM_SECURITY_CANDIDATES__: string | undefined;
/**
 * The built-in concepts' `candidates` source, computed by the build from the same list with
 * the same code: building it costs `mm check` a few milliseconds on every run otherwise.
 */
const BUILT_CANDIDATES = typeof __MM_SECURITY_CANDIDATES__ !== 'undefined' ? __MM_SECURITY_CANDIDATES__ : undefined;

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
    this.concepts = new ConceptMatcher(
      [...SECURITY_CONCEPTS, ...custom.words],
      custom.words.length ? undefined : BUILT_CANDIDATES,
    );
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

  /**
   * line(data.slice(start, end), kind), for changed lines read in place from a chunk of
   * diff: candidates are searched for in the chunk as its lines ask (one search serves every
   * line up to the candidate it finds; lockfiles and headers are never searched), and a line
   * without a candidate, or whose candidates start no term, is never cut out or read further.
   */
  lineAt(data: string, start: number, end: number, kind: FileKind): { place: Place; hits: ConceptHit[] } {
    if (kind === 'lockfile') return NOTHING;
    // Custom substrings read whole lines; manifests are short and few.
    if (this.substrings.length || kind === 'manifest') return this.line(data.slice(start, end), kind);
    // The last search's answer holds for any line between where it started and what it found.
    const first =
      data === this.chunk && start >= this.from && this.found >= start ? this.found : this.search(data, start);
    if (first >= end) return NOTHING;
    // Most candidates ("Executor", "policies") start no term: such a line has no hits, whatever its place.
    if (!this.concepts.anyTermIn(data, first, start, end, this.searchChunk)) return NOTHING;
    // A term in the line: the full reading (advisory ids, comments, trailing comments).
    return this.line(data.slice(start, end), kind);
  }

  /**
   * The chunk lineAt() last searched, where that search started and the first candidate it
   * found (the chunk's length for none): no candidate lies in [from, found), as `candidates` matches
   * at a position or not whatever came before it.
   */
  private chunk: string | undefined;
  private from = 0;
  private found = 0;
  private readonly searchChunk = (from: number) => this.search(this.chunk!, from);

  /**
   * The first position at or after `from` where `candidates` matches in data, or data.length
   * (a small integer, not Infinity: a double here makes V8 recompile the callers).
   */
  private search(data: string, from: number): number {
    const re = this.concepts.candidates;
    re.lastIndex = from;
    const m = re.exec(data);
    this.chunk = data;
    this.from = from;
    this.found = m === null ? data.length : m.index;
    return this.found;
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
  /** The kind and size of every file in the change, for evidence from its shape (`smallFix`). */
  private readonly changed = new Map<string, { kind: FileKind; size: ChangedSize }>();

  get score(): number {
    const outsideProse = this.own - (this.perPlace.get('prose') ?? 0);
    return this.own + (outsideProse > 0 ? this.proseAdvisory : 0) + (this.smallFix ? SMALL_FIX.score : 0);
  }

  /** A file of the change, with or without evidence of its own. */
  file(path: string, kind: FileKind, size: ChangedSize = { added: 0, removed: 0 }): void {
    this.changed.set(path, { kind, size });
  }

  /** A small code change with tests, in a change that has evidence of its own (see SMALL_FIX). */
  get smallFix(): boolean {
    if (this.own <= 0) return false;
    let codeFiles = 0;
    let codeLines = 0;
    let tests = false;
    for (const { kind, size } of this.changed.values()) {
      if (kind === 'test') tests = true;
      if (kind !== 'code') continue;
      codeFiles++;
      codeLines += size.added + size.removed;
    }
    return tests && codeFiles > 0 && codeFiles <= SMALL_FIX.maxCodeFiles && codeLines <= SMALL_FIX.maxCodeLines;
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
    this.changed.delete(file);
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
