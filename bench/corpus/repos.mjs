// Where the corpus repositories are: bench/corpus/repos.json names them; a fetched bare
// clone lives at <mirror>/<owner>+<name>/repo (MM_BENCH_MIRROR overrides the mirror root).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const config = JSON.parse(readFileSync(join(here, 'repos.json'), 'utf8'));

export const loadRepos = () => config.repos;

/** The git directory of a corpus repository, or null when it is not present locally. */
export function locateRepo(repo) {
  const root = process.env.MM_BENCH_MIRROR ?? config.mirrorRoot;
  for (const dir of [join(root, repo.source.replace('/', '+'), 'repo'), join(root, repo.name)]) {
    if (existsSync(join(dir, 'HEAD')) || existsSync(join(dir, '.git'))) return dir;
  }
  return null;
}

export const readCorpus = (name) =>
  readFileSync(join(here, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/**
 * The labelled repositories present locally (all, or those named in `only`), each with
 * its git directory and labelled commits; a missing one is reported and skipped.
 */
export function* presentCorpus(only = []) {
  for (const repo of loadRepos()) {
    if (only.length && !only.includes(repo.name)) continue;
    const dir = locateRepo(repo);
    if (!dir) {
      console.log(`${repo.name.padEnd(11)} skipped: not present locally (fetch ${repo.source})`);
      continue;
    }
    yield { repo, dir, rows: readCorpus(repo.name) };
  }
}
