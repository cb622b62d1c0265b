// Types for repos.mjs, for the TypeScript benchmarks.
export interface CorpusRepo {
  name: string;
  source: string;
  language: string;
  split: 'tune' | 'held-out';
  commits: number;
  ref: string;
  speed?: boolean;
}
export function loadRepos(): CorpusRepo[];
export function locateRepo(repo: CorpusRepo): string | null;
export function readCorpus(name: string): Array<{ sha: string; subject: string; label: boolean; reason?: string }>;
export function presentCorpus(
  only?: string[],
): Generator<{ repo: CorpusRepo; dir: string; rows: ReturnType<typeof readCorpus> }>;
