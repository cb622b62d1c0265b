#!/usr/bin/env node
// The per-repository calibration of the security trigger, measured honestly: for every
// corpus repository the labelled commits are scored (the same parser and matcher as
// `mm check`), and the calibration is computed from the N commits *before* the oldest
// labelled one (`git log --no-merges --skip=<labelled> -n N <ref>`), never from the
// commits it is evaluated on. The trigger then fires at score ≥ max(2, quantile q of those
// N scores). Prints a sweep (q × N) on the chosen split and per-repository recall / false
// alarms without and with the chosen calibration.
//
//   node bench/security-calibration.mjs [--q 0.7] [--n 200] [--sweep tune9] [--refresh] [repo…]
//
// Scores are cached in bench/corpus/.calibration-scores.json (not committed; --refresh
// recomputes them): the sweep reads them many times.
import { spawnSync } from 'node:child_process';
import { loadFromSrc } from './lib.mjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { presentCorpus } from './corpus/repos.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1];
};
const Q = Number(opt('q', '0.7'));
const N = Number(opt('n', '200'));
const MAX_N = 400;
const sweepSplit = opt('sweep', 'tune9');
const refresh = args.includes('--refresh');
// --strict: a calibrated threshold fires only strictly above the level (ties do not fire).
const strict = args.includes('--strict');
const valued = new Set(['--q', '--n', '--sweep']);
const only = args.filter((a, i) => !a.startsWith('--') && !valued.has(args[i - 1]));

// The nine repositories the quantile is chosen on (tune before set 3 existed).
const TUNE9 = ['gemini-cli', 'flask', 'caddy', 'axum', 'werkzeug', 'express', 'rack', 'gh-cli', 'guzzle'];
const SET3 = ['dompurify', 'hexpm', 'bitwarden', 'undici'];
const SET2 = ['sinatra', 'fastify', 'javalin'];
const group = (name) =>
  TUNE9.includes(name) ? 'tune9' : SET3.includes(name) ? 'set3' : SET2.includes(name) ? 'set2' : 'other';

const m = await loadFromSrc(
  root,
  "export { historyScores } from './src/git/history-scores.ts';\n" +
    "export { calibratedThreshold, quantile } from './src/policy/security-calibration.ts';\n" +
    "export { SENSITIVE_SCORE } from './src/policy/security-match.ts';",
);

const cacheFile = new URL('./corpus/.calibration-scores.json', import.meta.url);
const cache = !refresh && existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};

// One git log for all; a mirror with absent large blobs (gemini-cli) makes it fail, and
// then each commit is scored alone, leaving out the few whose diff git cannot read.
async function scoresOf(dir, opts) {
  try {
    return await m.historyScores(dir, opts);
  } catch {
    const list = spawnSync(
      'git',
      ['log', '--no-merges', `-n${opts.commits}`, `--skip=${opts.skip ?? 0}`, '--format=%H', opts.ref],
      { cwd: dir, encoding: 'utf8' },
    );
    const scores = [];
    for (const sha of list.stdout.split('\n').filter(Boolean)) {
      try {
        scores.push(...(await m.historyScores(dir, { commits: 1, ref: sha })).scores);
      } catch {
        // unreadable in this mirror: left out
      }
    }
    return { head: opts.ref, scores };
  }
}

const data = [];
for (const { repo, dir, rows } of presentCorpus(only)) {
  let entry = cache[repo.name];
  if (!entry || entry.ref !== repo.ref || entry.evaluated.length !== rows.length) {
    const started = Date.now();
    const evaluated = await scoresOf(dir, { commits: rows.length, ref: repo.ref });
    const past = await scoresOf(dir, { commits: MAX_N, ref: repo.ref, skip: rows.length });
    entry = { ref: repo.ref, evaluated: evaluated.scores, past: past.scores, ms: Date.now() - started };
    cache[repo.name] = entry;
    writeFileSync(cacheFile, JSON.stringify(cache));
  }
  const bySha = new Map(entry.evaluated.map((s) => [s.sha, s.score]));
  const labelled = rows.filter((r) => bySha.has(r.sha)).map((r) => ({ label: r.label, score: bySha.get(r.sha) }));
  if (labelled.length !== rows.length)
    console.log(`${repo.name}: ${rows.length - labelled.length} labelled commits not in the log walk`);
  // Never calibrate on an evaluated commit.
  const evaluatedShas = new Set(entry.evaluated.map((s) => s.sha));
  if (entry.past.some((s) => evaluatedShas.has(s.sha)))
    throw new Error(`${repo.name}: calibration window overlaps the evaluated commits`);
  data.push({ name: repo.name, group: group(repo.name), labelled, past: entry.past.map((s) => s.score), ms: entry.ms });
}

function measure(rows, threshold) {
  let tp = 0,
    fn = 0,
    fp = 0,
    tn = 0;
  for (const r of rows) {
    // Above the fixed threshold (m.SENSITIVE_SCORE) the threshold is a calibrated level: --strict leaves its ties out.
    const fired = strict && threshold > m.SENSITIVE_SCORE ? r.score > threshold : r.score >= threshold;
    if (r.label && fired) tp++;
    else if (r.label) fn++;
    else if (fired) fp++;
    else tn++;
  }
  return { tp, fn, fp, tn };
}
const add = (a, b) => ({ tp: a.tp + b.tp, fn: a.fn + b.fn, fp: a.fp + b.fp, tn: a.tn + b.tn });
const zero = { tp: 0, fn: 0, fp: 0, tn: 0 };
const pct = (x) => (Number.isNaN(x) ? '  n/a' : x.toFixed(2).padStart(5));
const rec = (c) => c.tp / (c.tp + c.fn);
const fa = (c) => c.fp / (c.fp + c.tn);
const threshold = (d, q, n) =>
  q >= 1 ? m.SENSITIVE_SCORE : m.calibratedThreshold(d.past.slice(0, n), { quantile: q }).threshold;

// The sweep: pooled recall / false alarms of the chosen split, and the mean per-repository
// false-alarm rate and the worst one (what a user of one repository sees).
const sweepRows = data.filter((d) => d.group === sweepSplit);
if (sweepRows.length) {
  console.log(
    `sweep on ${sweepSplit} (${sweepRows.map((d) => d.name).join(', ')}): pooled recall / false alarms, worst repository's false alarms`,
  );
  const base = sweepRows.reduce((acc, d) => add(acc, measure(d.labelled, m.SENSITIVE_SCORE)), zero);
  console.log(
    `  off              ${pct(rec(base))} / ${pct(fa(base))}   worst FA ${pct(Math.max(...sweepRows.map((d) => fa(measure(d.labelled, m.SENSITIVE_SCORE)))))}`,
  );
  for (const n of [50, 100, 200, 400]) {
    for (const q of [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]) {
      let c = zero;
      let worst = 0;
      for (const d of sweepRows) {
        const r = measure(d.labelled, threshold(d, q, n));
        c = add(c, r);
        worst = Math.max(worst, fa(r));
      }
      console.log(
        `  q ${q.toFixed(2)} n ${String(n).padEnd(4)}  ${pct(rec(c))} / ${pct(fa(c))}   worst FA ${pct(worst)}   positives lost ${base.tp - c.tp}, false alarms removed ${base.fp - c.fp}, fired ${pct((c.tp + c.fp) / (c.tp + c.fn + c.fp + c.tn))} (fixed ${pct((base.tp + base.fp) / (base.tp + base.fn + base.fp + base.tn))})`,
      );
    }
  }
}

console.log(
  `\nper repository: fixed threshold ${m.SENSITIVE_SCORE} vs calibrated (p${Math.round(Q * 100)} of the ${N} commits before the labelled ones)`,
);
console.log(
  'repo        group  commits  pos  | fixed: recall  FA    fired | calibrated: threshold  recall  FA    fired | calibration ms',
);
const totals = {};
for (const d of data) {
  const th = threshold(d, Q, N);
  const a = measure(d.labelled, m.SENSITIVE_SCORE);
  const b = measure(d.labelled, th);
  const t = (totals[d.group] ??= { a: zero, b: zero });
  t.a = add(t.a, a);
  t.b = add(t.b, b);
  const n = d.labelled.length;
  console.log(
    `${d.name.padEnd(11)} ${d.group.padEnd(6)} ${String(n).padStart(7)} ${String(a.tp + a.fn).padStart(4)}  |        ${pct(rec(a))} ${pct(fa(a))} ${pct((a.tp + a.fp) / n)} |             ${String(th).padStart(5)}   ${pct(rec(b))} ${pct(fa(b))} ${pct((b.tp + b.fp) / n)} | ${d.ms ?? ''}`,
  );
}
for (const [g, t] of Object.entries(totals))
  console.log(
    `${g.padEnd(6)} overall: fixed ${pct(rec(t.a))} / ${pct(fa(t.a))}  →  calibrated ${pct(rec(t.b))} / ${pct(fa(t.b))}`,
  );
