#!/usr/bin/env node
// `npm test`: build (+ pack lint) first, then prettier --check, eslint, tsc --noEmit and knip
// AT THE SAME TIME as vitest. The tests spend much of their time waiting (fake servers,
// real CLIs starting, timeouts), so the checks fill those gaps instead of adding ~30 s in
// front. The checks run at a lower CPU priority (nice) so they never slow a test down;
// their output is held back and printed after vitest's, in full when one fails.
// Arguments go to vitest (`npm test -- test/policy`). Exit 1 when anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => `${root}node_modules/.bin/${name}`;

const build = spawnSync(process.execPath, [`${root}scripts/build.mjs`], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const CHECKS = [
  ['prettier', [bin('prettier'), '--check', '.']],
  ['eslint', [bin('eslint'), '.']],
  ['tsc', [bin('tsc'), '--noEmit']],
  // Unused files, exports and dependencies (knip.json); ~6 CPU-s.
  ['knip', [bin('knip')]],
];
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

const checks = CHECKS.map(([, argv]) => run(niced(argv), { stdio: ['ignore', 'pipe', 'pipe'] }));
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
