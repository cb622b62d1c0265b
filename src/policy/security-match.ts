/**
 * Finds security concepts in a change the way a reader of code would: by identifier
 * segment (camelCase, snake_case, kebab-case, dotted), not by substring, and weighted by
 * where the match is: a path or a code line counts fully, a comment less, a test less
 * still, prose and lockfiles barely. The change as a whole is security-sensitive when its
 * weighted evidence reaches SENSITIVE_SCORE (see `SecurityTally`).
 */
import { SECURITY_CONCEPTS, SECURITY_DEPENDENCIES, type SecurityConcept } from './security-concepts.ts';

export type FileKind = 'code' | 'test' | 'prose' | 'manifest' | 'lockfile';
export type Place = 'path' | 'code' | 'import' | 'comment' | 'test' | 'prose' | 'manifest' | 'dependency' | 'lockfile';

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
};
/** What tests and prose add to a change at most, however many files they span. */
export const CHANGE_PLACE_CAP: Partial<Record<Place, number>> = { test: 1, prose: 0.5, comment: 1.5, manifest: 1 };

const LOCKFILES =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|go\.sum|poetry\.lock|uv\.lock|Pipfile\.lock|Gemfile\.lock|composer\.lock|[^/]*\.lock)$/;
const MANIFESTS =
  /(^|\/)(package\.json|go\.mod|Cargo\.toml|pyproject\.toml|setup\.py|setup\.cfg|Pipfile|Gemfile|composer\.json|requirements[^/]*\.(txt|in)|[^/]*\.csproj|pom\.xml|build\.gradle(\.kts)?|deny\.toml)$/;
const PROSE = /(\.(md|mdx|markdown|rst|txt|adoc)$|(^|\/)(docs?|documentation|CHANGES|CHANGELOG|LICENSE)(\/|$))/i;
const TESTS =
  /((^|\/)(tests?|__tests__|testdata|test-data|fixtures?|spec|e2e|integration-tests|evals?)\/|[._-](test|spec)\.[a-z]+$|_test\.go$|(^|\/)test_[^/]*\.py$|\.snap$)/i;

export function fileKind(path: string): FileKind {
  if (LOCKFILES.test(path)) return 'lockfile';
  if (MANIFESTS.test(path)) return 'manifest';
  if (TESTS.test(path)) return 'test';
  if (PROSE.test(path)) return 'prose';
  return 'code';
}

/** Lines that are comments in most languages (the line alone; no block tracking). */
const COMMENT = /^\s*(\/\/|#(?![!\[])|\/\*|\*|--|"""|''')/;
/** Import lines (JS/TS, Python, Go, Rust, C): a dependency on a module, not its use. */
const IMPORT =
  /^\s*(import\b|export \{[^}]*\} from\b|from \S+ import\b|use \w|extern crate\b|#include\b|(const|let|var) .*= require\(|"[\w.\/-]+"$)/;

/**
 * The identifier segments of a text, lower-cased, in order: "getAuthToken(author_id)" →
 * get, auth, token, author, id. Acronyms stay whole ("XMLHttpRequest" → xml, http, request; "OAuth2" → oauth, 2).
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
const WORD = /[A-Za-z0-9]+/g;
const LOWER_OR_DIGITS = /^[a-z0-9]+$/;
const CAMEL_PART = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

interface CompiledTerm {
  concept: SecurityConcept;
  term: string;
  /** Segments; a trailing "*" on one means "starts with". */
  parts: string[];
}

/** The concept list compiled for fast lookup: by first segment, exact or by 4-letter stem. */
export class ConceptMatcher {
  private readonly exact = new Map<string, CompiledTerm[]>();
  private readonly byStem = new Map<string, CompiledTerm[]>();
  /** Lines without any of these character pairs cannot match; checked before segmenting. */
  private readonly quick: RegExp;

  constructor(concepts: SecurityConcept[]) {
    const starts = new Set<string>();
    for (const concept of concepts) {
      for (const term of concept.terms) {
        const parts = term
          .toLowerCase()
          .split(/[\s_-]+/)
          .filter(Boolean);
        const first = parts[0]!;
        const compiled = { concept, term, parts };
        if (first.endsWith('*')) {
          const stem = first.slice(0, -1);
          const key = stem.slice(0, 4);
          if (!this.byStem.has(key)) this.byStem.set(key, []);
          this.byStem.get(key)!.push(compiled);
          starts.add(stem.slice(0, 3));
        } else {
          if (!this.exact.has(first)) this.exact.set(first, []);
          this.exact.get(first)!.push(compiled);
          starts.add(first.slice(0, 3));
        }
      }
    }
    this.quick = new RegExp([...starts].map(escapeRe).join('|'), 'i');
  }

  /** Every concept term found in `text`, once per term. */
  match(text: string): ConceptHit[] {
    if (!this.quick.test(text)) return [];
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
export const LEGACY_DEFAULT_PATTERNS = [
  'auth',
  'crypto',
  'token',
  'password',
  'secret',
  'injection',
  'sanitiz',
  'escap',
];

export function customConcepts(patterns: string[]): { words: SecurityConcept[]; substrings: string[] } {
  const legacy =
    patterns.length === LEGACY_DEFAULT_PATTERNS.length &&
    LEGACY_DEFAULT_PATTERNS.every((p) => patterns.some((q) => q.toLowerCase() === p));
  if (legacy) return { words: [], substrings: [] };
  const words = patterns.filter((p) => /^[A-Za-z0-9 _-]+$/.test(p));
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
    if (kind === 'lockfile' || kind === 'manifest') {
      const deps = this.dependencies.match(text);
      if (deps.length) return { place: kind === 'lockfile' ? 'lockfile' : 'dependency', hits: deps };
      if (kind === 'lockfile') return { place: 'lockfile', hits: [] };
    }
    const hits = this.withSubstrings(text, this.concepts.match(text));
    if (!hits.length) return { place: 'code', hits };
    const place: Place =
      kind === 'code' ? (COMMENT.test(text) ? 'comment' : IMPORT.test(text) ? 'import' : 'code') : kind;
    return { place, hits };
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
  score = 0;

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
    this.score += counted;
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
