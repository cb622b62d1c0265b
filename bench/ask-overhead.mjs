#!/usr/bin/env node
/**
 * `mm ask` overhead over the raw CLI round trip, against the fake Responses API:
 * median of N runs of `codex exec --json …` vs `mm ask codex …` doing the same call.
 * Goal: ≤ 50 ms. Run after `node scripts/build.mjs`: node bench/ask-overhead.mjs [runs]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const work = mkdtempSync(join(tmpdir(), 'mm-bench-'));

// The fakes are TypeScript test code: bundle them once.
const fakes = join(work, 'codex-server.mjs');
await build({
  entryPoints: [join(root, 'test/fakes/codex-server.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: fakes,
  logLevel: 'silent',
});
const { startCodexFake, codexEnv } = await import(pathToFileURL(fakes).href);

const fake = await startCodexFake({ reply: 'ok' });
const codex = join(root, 'node_modules/.bin/codex');
mkdirSync(join(work, '.claude/config'), { recursive: true });
writeFileSync(
  join(work, '.claude/config/multi-model.toml'),
  `[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${codex}"\n`,
);
const env = { ...process.env, ...codexEnv(fake, work), MM_CONFIG: '', ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };

function time(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: work, env, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} exited ${code}`)),
    );
    child.stdin.end('say ok');
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// The exact call mm makes for `mm ask codex` (general line, default effort, read-only, not a git repo).
const raw = [
  'exec',
  '--json',
  '-m',
  'gpt-5.2',
  '-c',
  'model_reasoning_effort=medium',
  '--skip-git-repo-check',
  '-s',
  'read-only',
  '-C',
  work,
  '-',
];
const viaMm = [join(root, 'bin/mm.js'), 'ask', 'codex', '--no-fallback'];

await time(codex, raw); // warm caches
await time(process.execPath, viaMm);
// mm runs the native binary behind the npm wrapper (src/process/codex-native.ts); time
// that binary alone too, so the report shows both baselines.
const native = join(
  dirname(
    createRequire(join(root, 'node_modules/@openai/codex/package.json')).resolve(
      '@openai/codex-linux-x64/package.json',
    ),
  ),
  'vendor/x86_64-unknown-linux-musl/bin/codex',
);
const nativeTimes = [];
const rawTimes = [];
const mmTimes = [];
const startupTimes = [];
const configTimes = [];
for (let i = 0; i < runs; i++) {
  // Interleaved, so background load hits both sides alike.
  rawTimes.push(await time(codex, raw));
  if (existsSync(native)) nativeTimes.push(await time(native, raw));
  mmTimes.push(await time(process.execPath, viaMm));
  startupTimes.push(await time(process.execPath, [join(root, 'bin/mm.js'), '--version']));
  configTimes.push(await time(process.execPath, [join(root, 'bin/mm.js'), 'route', '--category', 'review']));
}
await fake.close();
const overhead = median(mmTimes) - median(rawTimes);
console.log(`raw codex round trip: median ${median(rawTimes).toFixed(0)} ms over ${runs} runs`);
console.log(`mm ask codex:         median ${median(mmTimes).toFixed(0)} ms`);
console.log(`mm ask overhead:      ${overhead.toFixed(0)} ms (goal ≤ 50 ms) over the codex command a user runs`);
if (nativeTimes.length) {
  console.log(
    `native codex binary:  median ${median(nativeTimes).toFixed(0)} ms (what mm actually spawns: the npm wrapper's own Node start is skipped)`,
  );
  console.log(
    `mm ask vs the native binary: ${(median(mmTimes) - median(nativeTimes)).toFixed(0)} ms (mm's own Node start + work)`,
  );
}
// How much of that every command pays: starting node (mm --version), and loading config + registry (mm route).
const startup = median(startupTimes);
const withConfig = median(configTimes);
console.log(`  node + mm bundle start (mm --version): ${startup.toFixed(0)} ms`);
console.log(`  + config and registry load (mm route): ${(withConfig - startup).toFixed(0)} ms`);
if (nativeTimes.length)
  console.log(
    `  = left for mm ask itself (guard, ledger, spawn, parse): ${(median(mmTimes) - median(nativeTimes) - withConfig).toFixed(0)} ms`,
  );
const load = (await import('node:os')).loadavg()[0];
console.log(
  `load average ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} CPUs (wall-clock figures scale with load)`,
);
