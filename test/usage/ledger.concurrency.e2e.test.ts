/**
 * 12 processes × 100 appends, started at the same instant → 1,200 valid lines: none lost,
 * none interleaved. Sized by proof (was 50 × 20, unsynchronised): with the append made
 * non-atomic by hand — the line written in two write(2) calls, or a positioned write at
 * the size it saw instead of O_APPEND — this fails 10 runs of 10 each; 12 × 20 unsynchronised
 * missed the two-write version in 3 runs of 5.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleScript, runWorkers } from '../helpers/node-workers.ts';

describe('usage ledger under concurrent writers', () => {
  it('keeps every line whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-ledger-'));
    // The real appendLedger, in plain node processes.
    const worker = await bundleScript(
      dir,
      'worker.mjs',
      `import { appendLedger } from './src/usage/ledger.ts';
const [path, id, startAt] = process.argv.slice(2);
await new Promise((r) => setTimeout(r, Number(startAt) - Date.now())); // all append at once, without spinning
for (let i = 0; i < 100; i++) {
  appendLedger(path, { ts: new Date().toISOString(), provider: 'p', model: 'm', task: 'w' + id + '-' + i, status: 'ok',
    tokens: { input: 1, output: 1, reasoning: 0, cached: 0 }, latency_ms: 1, cost_usd: 0, note: 'x'.repeat(3000) });
}`,
    );
    const ledger = join(dir, 'usage.jsonl');
    const startAt = Date.now() + 1000; // after all 12 have started
    await runWorkers(worker, 12, (id) => [ledger, String(id), String(startAt)]);
    const lines = readFileSync(ledger, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1200);
    const tasks = new Set(lines.map((l) => JSON.parse(l).task as string));
    expect(tasks.size).toBe(1200);
  }, 60_000);
});
