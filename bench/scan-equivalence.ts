// The diff scan's results must not change when its engine does: runs the engine at an older
// commit (default main) and the current one over many commit ranges of the fetched corpus
// repositories (bench/corpus/repos.json), with three sets of custom patterns and three chunk
// sizes, and compares everything mm check reports from the scan (files, counts, token
// characters, security score and evidence, architecture evidence). Both sides use the
// current concept data, so only the engine is compared.
//
//   npx tsx bench/scan-equivalence.ts [OLD_REF] [commits per repository, default 120]
// OLD_REF: the engine to compare with, e.g. main before merging, or the commit before an engine change.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { loadRepos, locateRepo } from './corpus/repos.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const [oldRef = 'main', depth = '120'] = process.argv.slice(2);
const old = mkdtempSync(join(tmpdir(), 'mm-scan-old-'));
execFileSync('sh', ['-c', `git -C "${root}" archive "${oldRef}" src | tar -x -C "${old}"`]);
cpSync(join(root, 'src/policy/security-concepts.ts'), join(old, 'src/policy/security-concepts.ts'));
// architecture.ts holds its rules and some of the engine: its wants() reads a changed line in place
// (data, start, end) since the check-speed work. Copied only into an engine that calls it that way.
const oldArchitecture = join(old, 'src/policy/architecture.ts');
if (/wants\(role: [^)]*data: string/.test(readFileSync(oldArchitecture, 'utf8')))
  cpSync(join(root, 'src/policy/architecture.ts'), oldArchitecture);
// Modules new since OLD_REF that the current data files may import (the old engine imports none of them).
for (const file of execFileSync('git', ['-C', root, 'ls-files', 'src'], { encoding: 'utf8' }).split('\n'))
  if (file && !existsSync(join(old, file))) cpSync(join(root, file), join(old, file));

type ChangeModule = typeof import('../src/git/change.ts');
type Engine = { change: ChangeModule; arch: typeof import('../src/policy/architecture.ts').ArchitectureScanner };
const load = async (dir: string): Promise<Engine> => ({
  change: await import(join(dir, 'src/git/change.ts')),
  arch: (await import(join(dir, 'src/policy/architecture.ts'))).ArchitectureScanner,
});
const before = await load(old);
const now = await load(root);

const PATTERNS = [[], ['sanitiz', 'api key', 'x-token', 'jwt'], ['auth', 'token', 'corp.internal/', 'private key']];
const CHUNKS = [65536, 4096, 997];
function scan({ change, arch }: Engine, diff: string, patterns: string[], chunk: number) {
  const scanner = new change.SecurityScanner(patterns);
  const architecture = new arch();
  const parser = new change.UnifiedDiffParser(scanner, architecture);
  for (let i = 0; i < diff.length; i += chunk) parser.feed(diff.slice(i, i + chunk));
  const { list, chars } = parser.finish();
  const fileChars = [...parser.fileChars].map(([f, c]: [{ path: string }, number]) => [f.path, c]);
  return { list, chars, fileChars, security: scanner.summary(), architecture: architecture.result() };
}

let runs = 0;
let mismatches = 0;
for (const repo of loadRepos()) {
  const dir = locateRepo(repo);
  if (!dir) {
    console.log(`${repo.name}: skipped, not present locally`);
    continue;
  }
  const git = (...a: string[]) => execFileSync('git', ['-C', dir, ...a], { maxBuffer: 1 << 30 }).toString();
  const shas = git('rev-list', '--first-parent', '-n', depth, repo.ref).trim().split('\n');
  const ranges: Array<[string, string]> = [];
  for (const span of [1, 5, 30, 100, 300])
    for (let i = 0; i + span < shas.length; i += span) ranges.push([shas[i + span]!, shas[i]!]);
  for (const [a, b] of ranges) {
    let diff: string;
    try {
      diff = git(
        '-c',
        'core.quotepath=off',
        'diff',
        '--no-ext-diff',
        '--no-textconv',
        '--no-renames',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        '-U0',
        a,
        b,
      );
    } catch {
      continue; // a partial clone without some blob
    }
    PATTERNS.forEach((patterns, p) => {
      const chunk = CHUNKS[(runs + p) % CHUNKS.length]!;
      const want = scan(before, diff, patterns, chunk);
      const got = scan(now, diff, patterns, chunk);
      runs++;
      if (isDeepStrictEqual(want, got)) return;
      mismatches++;
      const keys = Object.keys(want).filter(
        (k) => !isDeepStrictEqual((want as Record<string, unknown>)[k], (got as Record<string, unknown>)[k]),
      );
      console.log(`MISMATCH ${repo.name} ${a.slice(0, 10)}..${b.slice(0, 10)} patterns #${p}: ${keys.join(', ')}`);
    });
  }
  console.log(`${repo.name}: ${ranges.length} ranges, ${runs} runs so far, ${mismatches} mismatches`);
}
rmSync(old, { recursive: true, force: true });
console.log(`${runs} runs, ${mismatches} mismatches against ${oldRef}`);
process.exit(mismatches ? 1 : 0);
