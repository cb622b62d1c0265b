import { describe, expect, it } from 'vitest';
import { SecurityScanner, UnifiedDiffParser } from '../../src/git/change.ts';
import { ArchitectureScanner } from '../../src/policy/architecture.ts';

interface FileDiff {
  path: string;
  status?: 'added' | 'deleted' | 'modified';
  removed?: string[];
  added?: string[];
}

function architecture(files: FileDiff[]) {
  const diff = files
    .flatMap(({ path, status = 'modified', removed = [], added = [] }) => [
      `diff --git a/${path} b/${path}`,
      ...(status === 'added' ? ['new file mode 100644'] : status === 'deleted' ? ['deleted file mode 100644'] : []),
      `@@ -1,${removed.length} +1,${added.length} @@`,
      ...removed.map((l) => `-${l}`),
      ...added.map((l) => `+${l}`),
    ])
    .join('\n');
  const arch = new ArchitectureScanner();
  const parser = new UnifiedDiffParser(new SecurityScanner([]), arch);
  parser.feed(`${diff}\n`);
  parser.finish();
  return arch.result();
}
const kinds = (files: FileDiff[]) => architecture(files).evidence.map((e) => `${e.kind}: ${e.text}`);

describe('architecture trigger', () => {
  it('a new or removed package or module', () => {
    expect(kinds([{ path: 'packages/tools/package.json', status: 'added', added: ['{ "name": "tools" }'] }])).toEqual([
      'module: new module packages/tools/package.json',
    ]);
    expect(kinds([{ path: 'src/app/billing/__init__.py', status: 'added', added: [''] }])).toEqual([
      'module: new module src/app/billing/__init__.py',
    ]);
    expect(kinds([{ path: 'crates/old/Cargo.toml', status: 'deleted', removed: ['[package]'] }])).toEqual([
      'module: removed module crates/old/Cargo.toml',
    ]);
  });

  it('test packages and examples are not architecture', () => {
    expect(architecture([{ path: 'tests/unit/__init__.py', status: 'added', added: [''] }]).changed).toBe(false);
    expect(architecture([{ path: 'examples/sse/Cargo.toml', status: 'added', added: ['[package]'] }]).changed).toBe(
      false,
    );
  });

  it('schema and migration changes; a schema document only when added or removed', () => {
    expect(kinds([{ path: 'db/migrations/0042_users.sql', status: 'added', added: ['ALTER TABLE users;'] }])).toEqual([
      'schema: new schema or migration db/migrations/0042_users.sql',
    ]);
    expect(kinds([{ path: 'proto/api.proto', added: ['  string name = 2;'] }])).toEqual([
      'schema: changed schema or migration proto/api.proto',
    ]);
    expect(architecture([{ path: 'schemas/settings.schema.json', added: ['"x": 1'] }]).changed).toBe(false);
    expect(architecture([{ path: 'api/openapi.yaml', status: 'added', added: ['openapi: 3.1.0'] }]).changed).toBe(true);
  });

  it('dependencies added or removed count; version bumps and package keys do not', () => {
    expect(kinds([{ path: 'package.json', added: ['    "left-pad": "^1.3.0",'] }])).toEqual([
      'dependency: adds dependency left-pad',
    ]);
    expect(
      architecture([{ path: 'package.json', removed: ['    "zod": "^3.0.0",'], added: ['    "zod": "^4.0.0",'] }])
        .changed,
    ).toBe(false);
    expect(architecture([{ path: 'package.json', added: ['  "version": "1.2.3",'] }]).changed).toBe(false);
    expect(kinds([{ path: 'go.mod', removed: ['\tgithub.com/stoewer/go-strcase v1.3.0 // indirect'] }])).toEqual([
      'dependency: removes dependency github.com/stoewer/go-strcase',
    ]);
    expect(kinds([{ path: 'Cargo.toml', added: ['serde = { version = "1", features = ["derive"] }'] }])).toEqual([
      'dependency: adds dependency serde',
    ]);
    expect(architecture([{ path: 'Cargo.toml', added: ['empty_enums = "warn"', 'resolver = "2"'] }]).changed).toBe(
      false,
    );
    expect(kinds([{ path: 'pyproject.toml', added: ['    "markupsafe>=2.1.1",'] }])).toEqual([
      'dependency: adds dependency markupsafe',
    ]);
    expect(architecture([{ path: 'pyproject.toml', added: ['ignore = ["E501"]'] }]).changed).toBe(false);
    expect(kinds([{ path: 'requirements.txt', added: ['requests==2.32.0'] }])).toEqual([
      'dependency: adds dependency requests',
    ]);
  });

  it('public API: exported declarations changed in several files, not new ones added, not in tests', () => {
    const changed = (path: string, old: string) => ({ path, removed: [old], added: [`${old} // changed`] });
    expect(
      kinds([
        changed('src/a.ts', 'export function load(path: string): Config {'),
        changed('server.go', 'func (s *Server) Serve(l net.Listener) error {'),
        changed('src/lib.rs', 'pub fn parse(input: &str) -> Result<Ast> {'),
      ]).map((k) => k.split(':')[0]),
    ).toEqual(['api', 'api', 'api']);
    expect(
      architecture([
        changed('src/a.ts', 'export function load(path: string): Config {'),
        changed('src/b.ts', 'export interface Options {'),
      ]).changed,
    ).toBe(false); // two files: below API_MIN_FILES
    expect(
      architecture(['a', 'b', 'c'].map((n) => ({ path: `src/${n}.ts`, added: [`export function ${n}() {}`] }))).changed,
    ).toBe(false);
    expect(
      architecture(['a', 'b', 'c'].map((n) => changed(`src/${n}.test.ts`, `export function ${n}() {}`))).changed,
    ).toBe(false);
  });
  it('indented lines: only `pub` declarations (after spaces, tabs or other whitespace) count, read in place', () => {
    expect(kinds([{ path: 'src/lib.rs', removed: ['    pub fn parse(input: &str) -> Ast {'] }])).toEqual([
      'api: removes public parse',
    ]);
    expect(kinds([{ path: 'src/lib.rs', removed: ['\t \tpub struct Token {'] }])).toEqual([
      'api: removes public Token',
    ]);
    expect(kinds([{ path: 'src/lib.rs', removed: [' \u00a0pub enum Kind {'] }])).toEqual(['api: removes public Kind']);
    expect(kinds([{ path: 'src/lib.rs', removed: [' \r pub mod net;'] }])).toEqual(['api: removes public net']);
    // Indented exports, functions and blank lines are no top-level declarations.
    expect(
      architecture([
        {
          path: 'src/a.ts',
          removed: ['  export function load() {', '    ', '\tdef run(self):', '  public void x() {'],
        },
      ]).changed,
    ).toBe(false);
  });

  it('a public declaration removed and not declared again is an API removal; moved or renamed in place is not', () => {
    expect(kinds([{ path: 'types/request.d.ts', removed: ['export interface FastifyRequestContext<C> {'] }])).toEqual([
      'api: removes public FastifyRequestContext',
    ]);
    // Moved to another file: declared again, so not removed.
    expect(
      architecture([
        { path: 'src/a.ts', removed: ['export function load(path: string) {'] },
        { path: 'src/b.ts', added: ['export function load(path: string) {'] },
      ]).changed,
    ).toBe(false);
    // A private helper (Python leading underscore) is not public.
    expect(architecture([{ path: 'pkg/util.py', removed: ['def _helper(x):'] }]).changed).toBe(false);
  });

  it('gemspec runtime dependencies and pom artifacts count; gemspec development dependencies do not', () => {
    expect(kinds([{ path: 'sinatra.gemspec', added: ["  s.add_dependency 'logger', '>= 1.6.0'"] }])).toEqual([
      'dependency: adds dependency logger',
    ]);
    expect(
      architecture([{ path: 'sinatra.gemspec', added: ["  s.add_development_dependency 'rake', '~> 13'"] }]).changed,
    ).toBe(false);
    expect(kinds([{ path: 'pom.xml', removed: ['      <artifactId>kotlin-reflect</artifactId>'] }])).toEqual([
      'dependency: removes dependency kotlin-reflect',
    ]);
  });
});
