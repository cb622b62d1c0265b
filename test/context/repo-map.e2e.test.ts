import { readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRepoMap, readRepoMap } from '../../src/context/repo-map.ts';
import { relatedFromMap } from '../../src/context/related.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import { mm } from '../helpers/mm.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

function seed(r: TempRepo) {
  r.write('src/util.ts', 'export function helper() {}\nexport const LIMIT = 3;\nexport { helper as aliasHelper };\n');
  r.write('src/main.ts', "import { helper } from './util.js';\nimport fs from 'node:fs';\nexport class App {}\n");
  r.write('pkg/mod.py', 'from .inner import thing\n\ndef public():\n    pass\n\ndef _private():\n    pass\n');
  r.write('pkg/inner.py', 'class Thing:\n    pass\n');
  r.write('README.md', '# hi\n');
}

describe('repo map', () => {
  it('records files, sizes, languages, in-repo imports and exported symbols', async () => {
    repo = tempRepo();
    seed(repo);
    const { map, symbols } = await buildRepoMap(repo.dir);
    const main = map.files.find((f) => f.path === 'src/main.ts')!;
    expect(main.language).toBe('ts');
    expect(main.imports).toEqual(['src/util.ts']); // node:fs is a package, not a repo file
    expect(map.files.find((f) => f.path === 'pkg/mod.py')!.imports).toEqual(['pkg/inner.py']);
    expect(symbols.ts!['src/util.ts']).toEqual(['helper', 'LIMIT', 'aliasHelper']);
    expect(symbols.py!['pkg/mod.py']).toEqual(['public']);
    const onDisk = JSON.parse(readFileSync(join(repo.dir, 'ai', 'symbols-ts.json'), 'utf8'));
    expect(onDisk.files['src/main.ts']).toEqual(['App']);
    const related = relatedFromMap(map, symbols)(['src/util.ts']);
    expect(related).toEqual([{ path: 'src/main.ts', relation: 'imported-by', of: 'src/util.ts', symbols: ['App'] }]);
  });

  it('is incremental: only changed files are read again; unchanged maps are not rewritten', async () => {
    repo = tempRepo();
    seed(repo);
    const first = await buildRepoMap(repo.dir);
    expect(first.stats.parsed).toBe(4);
    const second = await buildRepoMap(repo.dir);
    expect(second.stats.parsed).toBe(0);
    expect(second.stats.written).toEqual([]);
    repo.write('src/util.ts', 'export function helper() {}\nexport function added() {}\n');
    utimesSync(join(repo.dir, 'src/util.ts'), new Date(), new Date(Date.now() + 5000));
    const third = await buildRepoMap(repo.dir);
    expect(third.stats.parsed).toBe(1);
    expect(third.symbols.ts!['src/util.ts']).toEqual(['helper', 'added']);
    expect(third.stats.written).toEqual(expect.arrayContaining(['ai/repo.map.json', 'ai/symbols-ts.json']));
    expect(readRepoMap(repo.dir)!.symbols.ts!['src/main.ts']).toEqual(['App']);
    expect(third.map.files.some((f) => f.path.startsWith('ai/'))).toBe(false);
  });

  it("re-resolves an unchanged file's imports when a file it imports is added or removed", async () => {
    repo = tempRepo();
    repo.write('src/main.ts', "import { a } from './later.js';\nimport { b } from './util.js';\nexport const x = 1;\n");
    repo.write('src/util.ts', 'export const b = 2;\n');
    const first = await buildRepoMap(repo.dir);
    const importsOfMain = (m: typeof first) => m.map.files.find((f) => f.path === 'src/main.ts')!.imports;
    expect(importsOfMain(first)).toEqual(['src/util.ts']);
    repo.write('src/later.ts', 'export const a = 1;\n');
    const added = await buildRepoMap(repo.dir);
    expect(importsOfMain(added)).toEqual(['src/later.ts', 'src/util.ts']);
    expect(added.stats.parsed).toBe(1);
    expect(readRepoMap(repo.dir)!.map.files.find((f) => f.path === 'src/main.ts')!.imports).toEqual([
      'src/later.ts',
      'src/util.ts',
    ]);
    rmSync(join(repo.dir, 'src/util.ts'));
    const removed = await buildRepoMap(repo.dir);
    expect(importsOfMain(removed)).toEqual(['src/later.ts']);
    const unchanged = await buildRepoMap(repo.dir);
    expect([unchanged.stats.parsed, unchanged.stats.reresolved, unchanged.stats.written]).toEqual([0, 0, []]);
  });

  it('mm map builds it from the CLI', () => {
    repo = tempRepo();
    seed(repo);
    const r = mm(['map', '--json'], { cwd: repo.dir });
    expect(r.code).toBe(0);
    expect(r.json().files).toBe(5);
  });
});
