// Shared timing helpers for the benchmarks: interleaved runs, medians, one machine, one run.
import { spawnSync } from 'node:child_process';

export function timeOnce(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const { input, ...rest } = opts;
  const r = spawnSync(cmd, args, {
    stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'],
    input,
    ...rest,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs each named command `runs` times, interleaved so load drifts hit all alike. */
export function compare(commands, runs = 21, warmup = 3) {
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const [name, [cmd, args, opts]] of Object.entries(commands)) {
      const ms = timeOnce(cmd, args, opts);
      if (i >= warmup) times[name].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

/**
 * Modules straight from src/, bundled once in memory (the same modules dist/ is built
 * from): `exports` is the body of an entry file, e.g. "export { x } from './src/a.ts';".
 */
export async function loadFromSrc(root, exports) {
  const { build } = await import('esbuild');
  const bundle = await build({
    absWorkingDir: root,
    stdin: { contents: exports, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    loader: { '.md': 'text' },
  });
  return import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);
}
