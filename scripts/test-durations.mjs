#!/usr/bin/env node
// Writes test/durations.json, the seconds each slow test file took, from a vitest JSON report
// (test/sequencer.ts starts the longest files first when vitest has no timings of its own,
// as in CI's fresh clone). A stale table only orders files less well; refresh it after a
// test file gets much slower or faster:
//   npx vitest run --reporter=json --outputFile=/tmp/report.json && node scripts/test-durations.mjs /tmp/report.json
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [report] = process.argv.slice(2);
if (!report) {
  console.error('usage: node scripts/test-durations.mjs <vitest JSON report>');
  process.exit(2);
}
const { testResults } = JSON.parse(readFileSync(report, 'utf8'));
const seconds = testResults
  .map((t) => [relative(root, t.name), Math.round((t.endTime - t.startTime) / 100) / 10])
  // Files under a second are left out: their order does not change the suite's length.
  .filter(([, s]) => s >= 1)
  .sort((a, b) => b[1] - a[1]);
writeFileSync(`${root}test/durations.json`, `${JSON.stringify(Object.fromEntries(seconds), null, 2)}\n`);
console.log(`test/durations.json: ${seconds.length} files`);
