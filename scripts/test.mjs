#!/usr/bin/env node
// `npm test`: build (+ pack lint) first, then oxfmt --check, eslint, tsc --noEmit and knip
// AT THE SAME TIME as vitest. The tests spend much of their time waiting (fake servers,
// real CLIs starting, timeouts), so the checks fill those gaps instead of adding ~30 s in
// front. The checks run at a lower CPU priority (nice) so they never slow a test down;
// their output is held back and printed after vitest's, in full when one fails.
// Arguments go to vitest (`npm test -- test/policy`). Exit 1 when anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;

const build = spawnSync(process.execPath, [`${root}scripts/build.mjs`], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// ESLint keeps a cache, so a run re-lints only what changed since the last one. A pass from
// the cache is a pass: eslint keys each file by its content (and its version and config), and
// its one cross-file rule, no-cycle, reports a new cycle in the file whose import closes it,
// which changed. A failure is confirmed without the cache (eslint keeps a file's old findings
// until that file changes). The other checks are cheap enough without one: the formatter is
// oxfmt (Prettier's style, ~0.3 CPU-s for the tree where Prettier took ~15) and the type check
// TypeScript 7's native tsc (~5 CPU-s where TypeScript 5's took ~19; TypeScript 5 stays for
// typescript-eslint and knip, which use its JavaScript API).
const cache = `${root}node_modules/.cache/mm-checks/`;
const CHECKS = [
  ['oxfmt', [bin('oxfmt'), '--check', '.'], []],
  ['eslint', [bin('eslint'), '.'], ['--cache', '--cache-strategy', 'content', '--cache-location', `${cache}eslint/`]],
  ['tsc', [process.execPath, `${root}node_modules/typescript-native/bin/tsc`, '--noEmit'], []],
  // Unused files, exports and dependencies (knip.json); ~5 CPU-s. No cache: its findings are
  // about the whole graph, and its cache sees a change only in a file's modification time and size.
  ['knip', [bin('knip')], []],
];
unshareCaches(cache);
/** `nice` where there is one (Linux, macOS): the checks yield the CPU to the tests. */
const niced = (argv) => (process.platform === 'win32' ? argv : ['nice', '-n', '10', ...argv]);

function run(argv, opts) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, ...opts });
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (c) => (output += c));
    child.stderr?.setEncoding('utf8').on('data', (c) => (output += c));
    child.on('error', (e) => resolve({ code: 1, output: `${output}${e.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? (signal ? 1 : 0), output, seconds: (performance.now() - started) / 1000 }),
    );
  });
}

const quiet = { stdio: ['ignore', 'pipe', 'pipe'] };
const checks = CHECKS.map(async ([, argv, cached]) => {
  const result = await run(niced([...argv, ...cached]), quiet);
  return result.code === 0 || cached.length === 0 ? result : run(niced(argv), quiet);
});
// MM_TEST_BUILT: dist/ was just built, so the contract project's globalSetup need not build it again.
const tests = run([bin('vitest'), 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, MM_TEST_BUILT: '1' },
});

const results = await Promise.all(checks);
const testResult = await tests;
let failed = testResult.code !== 0;
console.log('');
for (const [i, [name]] of CHECKS.entries()) {
  const { code, output, seconds } = results[i];
  if (code !== 0) {
    failed = true;
    console.log(`── ${name} FAILED (exit ${code}) ──\n${output.trimEnd()}\n`);
  } else {
    console.log(`${name}: ok (${seconds.toFixed(1)} s, alongside the tests)`);
    if (/warning/i.test(output)) console.log(output.trimEnd());
  }
}
process.exit(failed ? 1 : 0);

/**
 * Worktrees get node_modules as a hard-linked copy (`cp -al`), caches included: a tool
 * rewriting its cache in place would rewrite every worktree's. Give each linked file its
 * own copy first.
 */
function unshareCaches(dir) {
  mkdirSync(`${dir}eslint`, { recursive: true });
  for (const entry of readdirSync(dir, { recursive: true })) {
    const file = `${dir}${entry}`;
    if (!statSync(file).isFile() || statSync(file).nlink < 2) continue;
    copyFileSync(file, `${file}.own`);
    renameSync(`${file}.own`, file);
  }
}
