/**
 * Budgets under concurrent processes: check and reserve are one locked step, so calls
 * racing for the same headroom cannot together exceed the budget by their estimates.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleScript, runWorkers } from '../helpers/node-workers.ts';
import { RESERVATION_TTL_MS, reserveBudget } from '../../src/usage/budget.ts';
import { appendLedger, appendLedgerLine, readLedger } from '../../src/usage/ledger.ts';

const config = (monthly: number) => ({ usage: { monthly_budget_usd: monthly } }) as any;
const call = (reservation: string | null, cost: number) => ({
  ts: new Date().toISOString(),
  provider: 'p',
  model: 'm',
  task: 't',
  status: 'ok' as const,
  tokens: { input: 0, output: 0, reasoning: 0, cached: 0 },
  latency_ms: 1,
  cost_usd: cost,
  ...(reservation ? { reservation } : {}),
});

describe('budget reservations', () => {
  // 8 processes (was 20), waiting for the start on a timer instead of spinning (20 spinning
  // processes burnt both cores until the start). With the lock disabled by hand (withFileLock
  // calling fn() straight away) all 8 were let through in 6 runs of 6.
  it('8 concurrent processes, $0.30 each, $1 budget: exactly 3 are let through', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-budget-'));
    const worker = await bundleScript(
      dir,
      'worker.mjs',
      `import { reserveBudget } from './src/usage/budget.ts';
import { appendLedger } from './src/usage/ledger.ts';
const [ledgerFile, startAt] = process.argv.slice(2);
await new Promise((r) => setTimeout(r, Number(startAt) - Date.now())); // all check at once, without spinning
let reservation;
try {
  reservation = reserveBudget({ config: { usage: { monthly_budget_usd: 1 } }, entry: undefined, prompt: '', ledgerFile, estimateUsd: 0.3 });
} catch (e) {
  if (e.kind !== 'budget') throw e;
  process.stdout.write('refused');
  process.exit(0);
}
await new Promise((r) => setTimeout(r, 300)); // the call in flight
appendLedger(ledgerFile, { ts: new Date().toISOString(), provider: 'p', model: 'm', task: 't', status: 'ok', tokens: { input: 0, output: 0, reasoning: 0, cached: 0 }, latency_ms: 300, cost_usd: 0.3, reservation });
process.stdout.write('sent');`,
    );
    const ledger = join(dir, 'usage.jsonl');
    // A long history makes each read slow enough that unlocked check-then-reserve steps overlap.
    writeFileSync(ledger, `${JSON.stringify(call(null, 0))}\n`.repeat(40_000));
    const startAt = Date.now() + 1500;
    const outcomes = await runWorkers(worker, 8, () => [ledger, String(startAt)]);
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'refused')).toHaveLength(5);
    const spent = readLedger(ledger).reduce((t, e) => t + (e.cost_usd ?? 0), 0);
    expect(spent).toBeLessThanOrEqual(1);
    expect(readLedger(ledger)).toHaveLength(40_003); // reservation lines are not calls
  }, 60_000);

  it('an in-flight reservation counts; a settled one counts once (its actual cost); a stale one stops counting', () => {
    const ledgerFile = join(mkdtempSync(join(tmpdir(), 'mm-budget-')), 'usage.jsonl');
    const first = reserveBudget({ config: config(1), entry: undefined, prompt: '', ledgerFile, estimateUsd: 0.6 });
    expect(first).toEqual(expect.any(String));
    expect(() =>
      reserveBudget({ config: config(1), entry: undefined, prompt: '', ledgerFile, estimateUsd: 0.6 }),
    ).toThrow(/reserved by calls in flight/);
    appendLedger(ledgerFile, call(first, 0.1)); // settled, cheaper than estimated
    expect(reserveBudget({ config: config(1), entry: undefined, prompt: '', ledgerFile, estimateUsd: 0.6 })).toEqual(
      expect.any(String),
    );
    const stale = join(mkdtempSync(join(tmpdir(), 'mm-budget-')), 'usage.jsonl');
    appendLedgerLine(stale, {
      ts: new Date(Date.now() - RESERVATION_TTL_MS - 1000).toISOString(),
      reservation: 'dead',
      reserved_usd: 0.9,
      model: 'm',
    });
    expect(
      reserveBudget({ config: config(1), entry: undefined, prompt: '', ledgerFile: stale, estimateUsd: 0.5 }),
    ).toEqual(expect.any(String));
    expect(readFileSync(stale, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('no budget configured: nothing is reserved or written', () => {
    const ledgerFile = join(mkdtempSync(join(tmpdir(), 'mm-budget-')), 'usage.jsonl');
    expect(
      reserveBudget({ config: { usage: {} } as any, entry: undefined, prompt: 'x', ledgerFile, estimateUsd: 5 }),
    ).toBeNull();
    expect(readLedger(ledgerFile)).toEqual([]);
  });
});
