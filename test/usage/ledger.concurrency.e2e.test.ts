/** 50 processes × 20 appends → 1,000 valid lines: none lost, none interleaved. */
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
const [path, id] = process.argv.slice(2);
for (let i = 0; i < 20; i++) {
  appendLedger(path, { ts: new Date().toISOString(), provider: 'p', model: 'm', task: 'w' + id + '-' + i, status: 'ok',
    tokens: { input: 1, output: 1, reasoning: 0, cached: 0 }, latency_ms: 1, cost_usd: 0, note: 'x'.repeat(3000) });
}`,
    );
    const ledger = join(dir, 'usage.jsonl');
    await runWorkers(worker, 50, (id) => [ledger, String(id)]);
    const lines = readFileSync(ledger, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1000);
    const tasks = new Set(lines.map((l) => JSON.parse(l).task as string));
    expect(tasks.size).toBe(1000);
  }, 60_000);
});
