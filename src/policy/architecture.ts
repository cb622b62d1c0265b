/**
 * "Architecture change → suggest Gemini codebase analysis" (the design's decision tree)
 * as evidence read from the diff as it streams by:
 *  - module: a package or module is added or removed (its manifest or entry file);
 *  - schema: a migration, schema or interface-definition file changes;
 *  - dependency: a dependency is added to or removed from a manifest (not a version bump);
 *  - api: a public declaration is removed (its name is not declared again in the change),
 *    or exported declarations are changed (their old line is removed) in at least
 *    API_MIN_FILES non-test files — adding new functions is not a change of architecture,
 *    changing or removing the ones others call is;
 *  - dependency also reads gemspec runtime dependencies, composer.json and pom.xml.
 */
import { ownCopy } from '../util/own-copy.ts';
import { fileKind } from './security-match.ts';

type ArchitectureKind = 'module' | 'schema' | 'dependency' | 'api';

export interface ArchitectureEvidence {
  kind: ArchitectureKind;
  file: string;
  line?: number;
  text: string;
}

export interface ArchitectureChange {
  changed: boolean;
  evidence: ArchitectureEvidence[];
}

/** Exported declarations changed or removed in this many files make an API change. */
const API_MIN_FILES = 3;
const MAX_EVIDENCE = 12;

/** Files that make a directory a package or module of its own. */
const MODULE_FILES =
  /(?:^|\/)(?:package\.json|go\.mod|Cargo\.toml|pyproject\.toml|setup\.py|__init__\.py|mod\.rs|lib\.rs|[^/]+\.csproj|pom\.xml|build\.gradle(?:\.kts)?)$/;
/** Migrations and interface definitions: any change to them changes a contract. */
const SCHEMA_FILES = /(?:^|\/)(?:migrations?|alembic)\/|\.(?:sql|proto|graphql|gql|prisma|avsc|thrift)$/i;
/** Schema documents (often generated from code): only adding or removing one counts. */
const SCHEMA_DOCUMENTS =
  /(?:^|\/)(?:schemas?\/[^/]+|[^/]*\.schema\.json|schema\.(?:json|ya?ml)|(?:openapi|swagger)[^/]*\.(?:json|ya?ml))$/i;
const MANIFESTS =
  /(?:^|\/)(?:package\.json|go\.mod|Cargo\.toml|pyproject\.toml|requirements[^/]*\.(?:txt|in)|Pipfile|[^/]+\.gemspec|composer\.json|pom\.xml)$/;

/** An exported declaration's first line, per language (TS/JS, Go, Rust, Python top level). */
const PUBLIC_DECLARATION =
  /^(?:export\s+(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function|class|interface|type|enum|const|let|namespace)\b|func\s+(?:\([^)]*\)\s*)?[A-Z]\w*\s*\(|type\s+[A-Z]\w*\s+(?:struct|interface)\b|\s*pub\s+(?:async\s+)?(?:fn|struct|enum|trait|type|mod)\b|(?:def|class)\s+[A-Za-z]\w*)/;

const DECLARATION_NAME =
  /\b(?:function|class|interface|type|enum|const|let|namespace|fn|struct|trait|mod|def)\s+([A-Za-z_]\w*)|^func\s+(?:\([^)]*\)\s*)?([A-Z]\w*)/;
const declarationName = (text: string): string | null => {
  const m = DECLARATION_NAME.exec(text.trim());
  return m ? (m[1] ?? m[2] ?? null) : null;
};

/** Examples and samples show an API; they are not part of the architecture. */
const EXAMPLES = /(?:^|\/)(?:examples?|samples?)\//;

const DECLARATION_STARTS = new Set([...'eftpdc'].map((c) => c.charCodeAt(0)));
const SPACE = 32;
const TAB = 9;
const LOWER_P = 112;

/** Manifest keys that look like dependencies but describe the package itself. */
const PACKAGE_KEYS =
  /^(?:name|version|edition|rust-version|resolver|license|description|node|npm|pnpm|yarn|python|requires-python|python_version)$/i;

/**
 * A dependency entry on a manifest line: its name, or null. Lines are read without their
 * section (the diff has no context lines), so only entries with a version-like value count.
 */
function dependencyName(path: string, text: string): string | null {
  const t = text.trim();
  let name: string | undefined;
  if (path.endsWith('.gemspec')) {
    // Runtime dependencies only: add_development_dependency is tooling.
    name = /^\w+\.add_(?:runtime_)?dependency\s*(?:\(\s*)?["']([\w.-]+)["']/.exec(t)?.[1];
    return name ? name.toLowerCase() : null;
  }
  if (path.endsWith('pom.xml')) {
    name = /^<artifactId>([\w.-]+)<\/artifactId>$/.exec(t)?.[1];
    return name ? name.toLowerCase() : null;
  }
  if (path.endsWith('package.json') || path.endsWith('composer.json'))
    name = /^"(@?[\w./-]+)":\s*"(?:(?:[\^~=]|>=?|<=?)?\s*v?\d[^"]*|\*|latest|(?:workspace|file|npm|link):[^"]*)"/.exec(
      t,
    )?.[1];
  else if (path.endsWith('go.mod')) name = /^(?:require\s+)?([\w\-.][-\w]*\.[\w\-.]+\/[\w./-]+)\s+v\d/.exec(t)?.[1];
  else if (path.endsWith('Cargo.toml'))
    name = /^([\w-]+)\s*=\s*(?:"[\^~=<>]?\d[^"]*"|\{[^}]*\b(?:version|path|git|workspace)\b)/.exec(t)?.[1];
  else if (path.endsWith('pyproject.toml'))
    name = /^"([A-Z][\w.-]*)\s*(?:\[[^\]]*\]\s*)?(?:==|>=|<=|~=|!=|<|>)/i.exec(t)?.[1];
  else name = /^([A-Z][\w.-]*)\s*(?:\[[^\]]*\]\s*)?(?:==|>=|<=|~=|!=|<|>|$)/i.exec(t)?.[1];
  return name && !PACKAGE_KEYS.test(name) ? name.toLowerCase() : null;
}

/** Collects architecture evidence from one change: path(), then line() for each changed line. */
export class ArchitectureScanner {
  private readonly evidence: ArchitectureEvidence[] = [];
  private readonly apiFiles = new Set<string>();
  private readonly apiEvidence: ArchitectureEvidence[] = [];
  /** Public declarations removed (name → evidence) and added (names), for removals. */
  private readonly removedNames = new Map<string, ArchitectureEvidence>();
  private readonly addedNames = new Set<string>();
  private readonly deps = new Map<string, { added: number; removed: number; file: string; line: number }>();

  /** What a file's changed lines can tell: exported declarations (code), dependencies (manifests), or nothing. */
  roleOf(path: string): 'api' | 'manifest' | null {
    const kind = fileKind(path);
    if (kind === 'test' || kind === 'prose' || EXAMPLES.test(path)) return null;
    if (MANIFESTS.test(path)) return 'manifest';
    return kind === 'code' ? 'api' : null;
  }

  /** A changed file with its status: a module or schema added, removed or changed. */
  file(path: string, status: string): void {
    const kind = fileKind(path);
    if (kind === 'test' || kind === 'prose' || EXAMPLES.test(path)) return;
    const addedOrRemoved = status === 'added' || status === 'deleted' || status === 'untracked';
    const verb = status === 'deleted' ? 'removed' : status === 'modified' ? 'changed' : 'new';
    if (addedOrRemoved && MODULE_FILES.test(path))
      this.add({ kind: 'module', file: path, text: `${verb} module ${path}` });
    else if (SCHEMA_FILES.test(path) || (addedOrRemoved && SCHEMA_DOCUMENTS.test(path)))
      this.add({ kind: 'schema', file: path, text: `${verb} schema or migration ${path}` });
  }

  /**
   * Whether the changed line data[start, end) can matter, read in place: manifest lines
   * do; for the API only lines starting like a declaration (export, func, type, pub, def,
   * class), or indented and then starting like `pub` (the one PUBLIC_DECLARATION allows
   * indented; any other whitespace after the indentation is left to it).
   */
  wants(role: 'api' | 'manifest', data: string, start: number, end: number): boolean {
    if (role === 'manifest') return true;
    const first = start < end ? data.charCodeAt(start) : -1;
    if (first !== SPACE && first !== TAB) return DECLARATION_STARTS.has(first);
    let at = start + 1;
    while (at < end && (data.charCodeAt(at) === SPACE || data.charCodeAt(at) === TAB)) at++;
    const c = at < end ? data.charCodeAt(at) : -1;
    return c === LOWER_P || c >= 128 || (c >= 9 && c <= 13);
  }

  /** A changed line; only removed lines matter for the API (a change removes the old line). */
  line(path: string, role: 'api' | 'manifest', text: string, line: number, added: boolean): void {
    if (role === 'manifest') {
      const name = dependencyName(path, text);
      if (!name) return;
      const key = `${path}\0${ownCopy(name)}`; // not a slice of the whole chunk of diff
      const d = this.deps.get(key) ?? { added: 0, removed: 0, file: path, line };
      if (added) d.added++;
      else d.removed++;
      this.deps.set(key, d);
      return;
    }
    if (!PUBLIC_DECLARATION.test(text)) return;
    // Names and evidence are kept: not as slices of the whole chunk of diff they came from.
    const own = ownCopy(text);
    const name = declarationName(own);
    if (added) {
      if (name) this.addedNames.add(name);
      return;
    }
    if (name && !this.removedNames.has(name))
      this.removedNames.set(name, { kind: 'api', file: path, line, text: `removes public ${name}` });
    this.apiFiles.add(path);
    if (this.apiEvidence.length < MAX_EVIDENCE)
      this.apiEvidence.push({ kind: 'api', file: path, line, text: own.trim().slice(0, 120) });
  }

  /** The evidence, for the files `keep` accepts (files left out of the change are not its evidence). */
  result(keep: (path: string) => boolean = () => true): ArchitectureChange {
    for (const [key, d] of this.deps) {
      if (d.added > 0 && d.removed > 0) continue; // a version bump
      const name = key.slice(key.indexOf('\0') + 1);
      this.add({
        kind: 'dependency',
        file: d.file,
        line: d.line,
        text: `${d.added ? 'adds' : 'removes'} dependency ${name}`,
      });
    }
    // A public declaration removed and not declared again (here or elsewhere) is an API removal.
    for (const [name, e] of this.removedNames) if (!this.addedNames.has(name) && keep(e.file)) this.add(e);
    const apiFiles = [...this.apiFiles].filter(keep);
    if (apiFiles.length >= API_MIN_FILES) for (const e of this.apiEvidence) if (keep(e.file)) this.add(e);
    const evidence = this.evidence.filter((e) => keep(e.file));
    return { changed: evidence.length > 0, evidence: evidence.slice(0, MAX_EVIDENCE) };
  }

  private add(e: ArchitectureEvidence): void {
    this.evidence.push(e);
  }
}
