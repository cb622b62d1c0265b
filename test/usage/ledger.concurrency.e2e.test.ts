/** 50 processes × 20 appends → 1,000 valid lines: none lost, none interleaved. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('usage ledger under concurrent writers', () => {
  it('keeps every line whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-ledger-'));
    // The real appendLedger, bundled so plain node processes can load it fast.
    const bundle = join(dir, 'ledger.mjs');
    await build({
      entryPoints: ['src/usage/ledger.ts'],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: bundle,
      logLevel: 'silent',
    });
    const worker = join(dir, 'worker.mjs');
    writeFileSync(
      worker,
      `import { appendLedger } from ${JSON.stringify(bundle)};
const [path, id] = process.argv.slice(2);
for (let i = 0; i < 20; i++) {
  appendLedger(path, { ts: new Date().toISOString(), provider: 'p', model: 'm', task: 'w' + id + '-' + i, status: 'ok',
    tokens: { input: 1, output: 1, reasoning: 0, cached: 0 }, latency_ms: 1, cost_usd: 0, note: 'x'.repeat(3000) });
}`,
    );
    const ledger = join(dir, 'usage.jsonl');
    await Promise.all(
      Array.from(
        { length: 50 },
        (_, id) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, [worker, ledger, String(id)], { stdio: 'inherit' });
            child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${id} exited ${code}`))));
          }),
      ),
    );
    const lines = readFileSync(ledger, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1000);
    const tasks = new Set(lines.map((l) => JSON.parse(l).task as string));
    expect(tasks.size).toBe(1000);
  }, 60_000);
});
