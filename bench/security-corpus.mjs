#!/usr/bin/env node
// Recall and false-alarm rate of `mm check`'s security trigger and of its
// architecture trigger on the labelled corpus in bench/corpus: every commit is analysed
// against its parent with the same parser and matcher `mm check` uses. Repositories that
// are not present locally are skipped (fetch them; see bench/corpus/README.md).
//
//   node bench/security-corpus.mjs [--details] [repo…]
import { spawnSync } from 'node:child_process';
import { loadFromSrc } from './lib.mjs';
import { fileURLToPath } from 'node:url';
import { presentCorpus } from './corpus/repos.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const details = args.includes('--details');
const only = args.filter((a) => !a.startsWith('--'));

// The analysis code straight from src/, bundled once (the same modules dist/ is built from).
const m = await loadFromSrc(
  root,
  "export { SecurityScanner, UnifiedDiffParser } from './src/git/change.ts';\n" +
    "export { DIFF_FLAGS } from './src/git/git.ts';\n" +
    "export { ArchitectureScanner } from './src/policy/architecture.ts';",
);

function analyse(dir, sha) {
  const r = spawnSync('git', [...m.DIFF_FLAGS, '-U0', `${sha}^`, sha], { cwd: dir, maxBuffer: 1 << 30 });
  if (r.status !== 0) return null; // a root commit
  const scanner = new m.SecurityScanner([]);
  const arch = new m.ArchitectureScanner();
  const parser = new m.UnifiedDiffParser(scanner, arch);
  parser.feed(r.stdout.toString('utf8'));
  const { list } = parser.finish();
  return { security: scanner.summary(), files: list, arch: arch.result(), legacy: legacyFires(r.stdout) };
}

// The matcher before issue 12, for comparison: any of the old default patterns as a
// substring of a changed path or line.
const LEGACY = /auth|crypto|token|password|secret|injection|sanitiz|escap/i;
function legacyFires(diff) {
  for (const line of diff.toString('utf8').split('\n')) {
    if (line.startsWith('diff --git ') || ((line[0] === '+' || line[0] === '-') && !/^(?:\+\+\+|---) /.test(line)))
      if (LEGACY.test(line)) return true;
  }
  return false;
}

// Every commit's score and label, for the threshold curve at the end.
const scored = [];
const pct = (x) => (Number.isNaN(x) ? '  n/a' : x.toFixed(2).padStart(5));
const totals = {};
console.log('security trigger on labelled commits (label: commit message rule + hand review)');
console.log(
  'repo        split     commits  pos  recall  false-alarms  fired  | arch: pos  recall  false-alarms  fired  | before: recall  false-alarms',
);
for (const { repo, dir, rows } of presentCorpus(only)) {
  let tp = 0,
    fn = 0,
    fp = 0,
    tn = 0,
    archFired = 0,
    n = 0,
    ltp = 0,
    lfp = 0;
  const misses = [],
    alarms = [],
    archFires = [],
    archMisses = [];
  let archLabelled = 0,
    atp = 0,
    afn = 0,
    afp = 0;
  for (const row of rows) {
    const a = analyse(dir, row.sha);
    if (!a) continue;
    n++;
    const fired = a.security.sensitive;
    scored.push({ split: repo.split, label: row.label, score: a.security.score });
    if (a.arch.changed) {
      archFired++;
      archFires.push([row, a]);
    }
    if (row.arch !== undefined) {
      archLabelled++;
      if (row.arch && a.arch.changed) atp++;
      else if (row.arch) {
        afn++;
        archMisses.push([row, a]);
      } else if (a.arch.changed) afp++;
    }
    if (a.legacy && row.label) ltp++;
    if (a.legacy && !row.label) lfp++;
    if (row.label && fired) tp++;
    else if (row.label) {
      fn++;
      misses.push([row, a]);
    } else if (fired) {
      fp++;
      alarms.push([row, a]);
    } else tn++;
  }
  const recall = tp / (tp + fn);
  const fa = fp / (fp + tn);
  const t = (totals[repo.split] ??= { tp: 0, fn: 0, fp: 0, tn: 0 });
  t.tp += tp;
  t.fn += fn;
  t.fp += fp;
  t.tn += tn;
  t.atp = (t.atp ?? 0) + atp;
  t.afn = (t.afn ?? 0) + afn;
  t.afp = (t.afp ?? 0) + afp;
  t.an = (t.an ?? 0) + archLabelled;
  console.log(
    `${repo.name.padEnd(11)} ${repo.split.padEnd(9)} ${String(n).padStart(7)} ${String(tp + fn).padStart(4)}  ${pct(recall)}  ${pct(fa)}        ${String(tp + fp).padStart(5)}  |     ${String(atp + afn).padStart(4)}  ${pct(atp / (atp + afn))}  ${pct(afp / (archLabelled - atp - afn))}        ${String(archFired).padStart(5)}  |         ${pct(ltp / (tp + fn))}  ${pct(lfp / (fp + tn))}`,
  );
  if (details) {
    const show = ([row, a]) =>
      `    ${row.sha.slice(0, 9)} score ${a.security.score} ${row.subject.slice(0, 70)}\n` +
      a.security.examples
        .slice(0, 4)
        .map(
          (e) =>
            `        ${e.file}${e.line ? `:${e.line}` : ''} ${e.concept} "${e.term}" ${e.place} ${e.weight.toFixed(2)}`,
        )
        .join('\n');
    console.log(`  missed (${misses.length}):\n${misses.map(show).join('\n')}`);
    console.log(`  false alarms (${alarms.length}):\n${alarms.map(show).join('\n')}`);
    console.log(
      `  architecture missed (${archMisses.length}):\n` +
        archMisses
          .map(([row]) => `    ${row.sha.slice(0, 9)} ${row.subject.slice(0, 70)}\n        label: ${row.archReason}`)
          .join('\n') +
        `\n  architecture trigger fired (${archFires.length}):\n` +
        archFires
          .map(
            ([row, a]) =>
              `    ${row.arch ? 'hit ' : 'FA  '}${row.sha.slice(0, 9)} ${row.subject.slice(0, 66)}\n` +
              a.arch.evidence
                .slice(0, 3)
                .map((e) => `        ${e.kind}: ${e.file}${e.line ? `:${e.line}` : ''} ${e.text.slice(0, 80)}`)
                .join('\n'),
          )
          .join('\n'),
    );
  }
}
for (const [split, t] of Object.entries(totals))
  console.log(
    `${split.padEnd(9)} overall: recall ${pct(t.tp / (t.tp + t.fn))}, false alarms ${pct(t.fp / (t.fp + t.tn))}; ` +
      `architecture: recall ${pct(t.atp / (t.atp + t.afn))}, false alarms ${pct(t.afp / (t.an - t.atp - t.afn))}`,
  );
// What moving the flag threshold would trade (mm check flags at score ≥ 2): one row per
// threshold, recall / false alarms per split, so the choice is a measured one.
console.log('threshold curve (recall / false alarms per split; mm check flags at ≥ 2):');
for (const th of [0.5, 1, 1.5, 2, 3, 4]) {
  const cells = Object.keys(totals).map((split) => {
    const rows = scored.filter((r) => r.split === split);
    const pos = rows.filter((r) => r.label);
    const neg = rows.filter((r) => !r.label);
    const rec = pos.filter((r) => r.score >= th).length / pos.length;
    const fa = neg.filter((r) => r.score >= th).length / neg.length;
    return `${split} ${pct(rec)} / ${pct(fa)}`;
  });
  console.log(`  ≥ ${String(th).padEnd(4)} ${cells.join('   ')}`);
}
console.log('goal on held-out repositories: recall ≥ 0.85, false alarms ≤ 0.10');
