#!/usr/bin/env node
// `mm check` on a generated repository with 10,000 changed files, against the plain
// `git diff --numstat HEAD` that any diff scan must at least pay. Goal: ratio ≤ 1.5.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compare } from './lib.mjs';

const FILES = Number(process.env.MM_BENCH_FILES ?? 10_000);
const root = fileURLToPath(new URL('..', import.meta.url));
const mm = join(root, 'bin', 'mm.js');
const repo = mkdtempSync(join(tmpdir(), 'mm-bench-diff-'));
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@x',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@x',
};
const git = (...a) => execFileSync('git', a, { cwd: repo, env, maxBuffer: 1 << 30 });

const body = (i, v) =>
  Array.from({ length: 12 }, (_, l) => `export function f${i}_${l}(x: number): number { return x * ${v + l}; }`).join(
    '\n',
  ) + '\n';
git('init', '-q');
for (let i = 0; i < FILES; i++) {
  const dir = join(repo, `pkg${i % 100}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `mod${i}.ts`), body(i, 1));
}
git('add', '-A');
git('commit', '-qm', 'generated');
// Change two lines in every file; one file in fifty touches something security-sensitive.
for (let i = 0; i < FILES; i++) {
  const lines = body(i, 1).split('\n');
  lines[3] = `export function f${i}_3(x: number): number { return x * 7; }`;
  lines[8] = i % 50 === 0 ? `export const authToken${i} = process.env.TOKEN_${i};` : `export const changed${i} = ${i};`;
  writeFileSync(join(repo, `pkg${i % 100}`, `mod${i}.ts`), lines.join('\n'));
}

const out = execFileSync(process.execPath, [mm, 'check', '--json'], {
  cwd: repo,
  env: { ...env, MM_CONFIG: '' },
  maxBuffer: 1 << 30,
});
const report = JSON.parse(out.toString());
if (report.files_changed !== FILES) throw new Error(`mm check saw ${report.files_changed} files, expected ${FILES}`);

const runs = Number(process.env.MM_BENCH_RUNS ?? 7);
const results = compare(
  {
    'git diff --numstat HEAD': ['git', ['diff', '--numstat', 'HEAD'], { cwd: repo, env }],
    'mm check': [process.execPath, [mm, 'check'], { cwd: repo, env: { ...env, MM_CONFIG: '' } }],
  },
  runs,
  1,
);
const base = results['git diff --numstat HEAD'];
console.log(
  `diff scan: ${FILES} changed files (+${report.lines_added} −${report.lines_removed}, ${report.security.files} security-sensitive), median of ${runs}`,
);
for (const [name, ms] of Object.entries(results))
  console.log(`  ${name.padEnd(26)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / base).toFixed(2)}×`);
console.log('goal: mm check ≤ 1.50× git diff --numstat');
if (process.env.MM_BENCH_KEEP) console.log(`repository kept at ${repo}`);
else rmSync(repo, { recursive: true, force: true });
