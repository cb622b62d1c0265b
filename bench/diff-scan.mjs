#!/usr/bin/env node
// `mm check` against the git diff it must at least pay, side by side in one run:
//  - a generated repository with 10,000 changed files (`mm check` vs `git diff -U0 HEAD`
//    and `git diff --numstat HEAD`);
//  - fetched real repositories (bench/corpus/repos.json), `mm check --base HEAD~300` vs
//    `git diff -U0` of the same range (working tree vs the merge base, as mm compares).
//    A repository that is not present locally is skipped.
// Goal: mm check ≤ 1.3× git diff -U0. Ratios are medians of interleaved runs on this
// machine, of wall time and (on Linux) of CPU time, git's included in mm's; the load average
// is printed with each result. On a loaded machine the wall ratio drifts towards the CPU
// ratio: mm's git and its parse no longer run side by side on cores of their own.
//
//   node bench/diff-scan.mjs [--real-only|--generated-only] [repo…]
//   MM_BENCH_BASELINE=/other/checkout/bin/mm.cjs node bench/diff-scan.mjs   (before and after in one run)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRepos, locateRepo } from './corpus/repos.mjs';
import { median } from './lib.mjs';

const GOAL = 1.3;
const FILES = Number(process.env.MM_BENCH_FILES ?? 10_000);
const RANGE = Number(process.env.MM_BENCH_RANGE ?? 300);
const runs = Number(process.env.MM_BENCH_RUNS ?? 7);
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const root = fileURLToPath(new URL('..', import.meta.url));
const mm = join(root, 'bin', 'mm.cjs');
// Another build's bin/mm.cjs (or an older checkout's bin/mm.js, e.g. of main) timed in the
// same runs: before and after under the same load.
const baseline = process.env.MM_BENCH_BASELINE;
const env = {
  ...process.env,
  MM_CONFIG: '',
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@x',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@x',
};

/**
 * CPU time of the children waited for so far (user + system, ms), from /proc/self/stat; a
 * process counts its own waited-for children (mm's git), so this is a command's whole cost.
 * Linux only (null elsewhere); resolution one clock tick (10 ms), so medians of several runs.
 */
function childrenCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, in ticks of 10 ms
  } catch {
    return null;
  }
}

/** Runs each command `runs` times (after `warmup`), interleaved; medians of wall and CPU time. */
function compare(commands, runs, warmup) {
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, { wall: [], cpu: [] }]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const [name, [cmd, args, opts]] of Object.entries(commands)) {
      const cpu0 = childrenCpu();
      const t0 = process.hrtime.bigint();
      const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...opts });
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpu = cpu0 === null ? null : childrenCpu() - cpu0;
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      if (i < warmup) continue;
      times[name].wall.push(wall);
      if (cpu !== null) times[name].cpu.push(cpu);
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([k, { wall, cpu }]) => [
      k,
      { wall: median(wall), cpu: cpu.length ? median(cpu) : null },
    ]),
  );
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

function report(title, results, base, loadBefore) {
  console.log(`${title}; load average ${loadBefore} → ${load()}`);
  for (const [name, { wall, cpu }] of Object.entries(results)) {
    const cpuText =
      cpu === null ? '' : `   CPU ${cpu.toFixed(0).padStart(5)} ms  ${(cpu / results[base].cpu).toFixed(2)}×`;
    console.log(
      `  ${name.padEnd(34)} ${wall.toFixed(1).padStart(8)} ms  ${(wall / results[base].wall).toFixed(2)}×${cpuText}`,
    );
  }
}

if (!args.includes('--real-only')) {
  const repo = mkdtempSync(join(tmpdir(), 'mm-bench-diff-'));
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
    lines[8] =
      i % 50 === 0 ? `export const authToken${i} = process.env.TOKEN_${i};` : `export const changed${i} = ${i};`;
    writeFileSync(join(repo, `pkg${i % 100}`, `mod${i}.ts`), lines.join('\n'));
  }
  const report0 = JSON.parse(
    execFileSync(process.execPath, [mm, 'check', '--json'], { cwd: repo, env, maxBuffer: 1 << 30 }),
  );
  if (report0.files_changed !== FILES)
    throw new Error(`mm check saw ${report0.files_changed} files, expected ${FILES}`);
  const before = load();
  const results = compare(
    {
      'git diff -U0 HEAD': ['git', ['diff', '-U0', '--no-renames', 'HEAD'], { cwd: repo, env }],
      'git diff --numstat HEAD': ['git', ['diff', '--numstat', 'HEAD'], { cwd: repo, env }],
      'mm check': [process.execPath, [mm, 'check'], { cwd: repo, env }],
      ...(baseline && { 'mm check (baseline)': [process.execPath, [baseline, 'check'], { cwd: repo, env }] }),
    },
    runs,
    1,
  );
  report(
    `generated: ${FILES} changed files (+${report0.lines_added} −${report0.lines_removed}), median of ${runs}`,
    results,
    'git diff -U0 HEAD',
    before,
  );
  rmSync(repo, { recursive: true, force: true });
}

/** A checkout of a fetched repository at its corpus ref (files the fetch left out are skipped). */
function checkout(repo, dir) {
  const work = mkdtempSync(join(tmpdir(), `mm-bench-${repo.name}-`));
  const g = (...a) => execFileSync('git', a, { cwd: work, env, maxBuffer: 1 << 30 }).toString();
  execFileSync('git', ['clone', '-q', '--shared', '--no-checkout', dir, work]);
  const listing = g('ls-tree', '-r', repo.ref);
  const missing = spawnSync('git', ['cat-file', '--batch-check'], {
    cwd: work,
    input:
      listing
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/)[2])
        .join('\n') + '\n',
    maxBuffer: 1 << 30,
  })
    .stdout.toString()
    .split('\n')
    .filter((l) => l.endsWith(' missing'))
    .map((l) => l.split(' ')[0]);
  const paths = listing
    .split('\n')
    .filter((l) => missing.some((sha) => l.includes(sha)))
    .map((l) => l.split('\t')[1]);
  if (paths.length) {
    g('config', 'core.sparseCheckout', 'true');
    g('sparse-checkout', 'set', '--no-cone', '/*', ...paths.map((p) => `!/${p}`));
  }
  g('checkout', '-q', repo.ref);
  // A fresh checkout's index is "racily clean" (files as new as the index itself), and
  // every git diff would re-read those files until the index is written again: refresh it
  // a second later, as any git status in a real clone has done long ago. Without this both
  // sides pay ~40 ms more on caddy and ~300 ms more on gemini-cli, which flatters the ratio.
  execFileSync('sleep', ['1.1']);
  g('update-index', '-q', '--refresh');
  return work;
}

if (!args.includes('--generated-only')) {
  for (const repo of loadRepos()) {
    if (only.length ? !only.includes(repo.name) : !repo.speed) continue;
    const dir = locateRepo(repo);
    if (!dir) {
      console.log(`${repo.name}: skipped, not present locally (fetch ${repo.source})`);
      continue;
    }
    const work = checkout(repo, dir);
    const base = `HEAD~${RANGE}`;
    const stat = execFileSync('git', ['diff', '--shortstat', base], { cwd: work }).toString().trim();
    const before = load();
    const results = compare(
      {
        [`git diff -U0 ${base}`]: ['git', ['diff', '-U0', '--no-renames', base], { cwd: work, env }],
        [`mm check --base ${base}`]: [process.execPath, [mm, 'check', '--base', base], { cwd: work, env }],
        ...(baseline && {
          [`mm check --base ${base} (baseline)`]: [
            process.execPath,
            [baseline, 'check', '--base', base],
            { cwd: work, env },
          ],
        }),
      },
      runs,
      1,
    );
    report(
      `${repo.name} (${repo.source}), ${RANGE} commits: ${stat}, median of ${runs}`,
      results,
      `git diff -U0 ${base}`,
      before,
    );
    rmSync(work, { recursive: true, force: true });
  }
}
console.log(`goal: mm check ≤ ${GOAL}× git diff -U0`);
