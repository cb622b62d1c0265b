import { projectRoot } from '../../config/locate.ts';
import { ledgerPath, readLedger } from '../../usage/ledger.ts';
import { billingOf } from '../../usage/billing.ts';
import { budgetLines, byBilling, parseSince, summarise, type GroupBy, type UsageRow } from '../../usage/report.ts';
import type { Handler } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

export const runUsage: Handler = async ({ flags }, ctx) => {
  const { config, path } = await loadConfigFor(ctx);
  const file = ledgerPath(projectRoot(ctx.cwd, path), config.usage.ledger);
  const by = (flags.by as GroupBy | undefined) ?? 'model';
  const since = typeof flags.since === 'string' ? parseSince(flags.since) : undefined;
  const entries = readLedger(file);
  const report = summarise(entries, by, since);
  const kept = since ? entries.filter((e) => new Date(e.ts) >= since) : entries;
  const billing = byBilling(kept, (p) => billingOf(config, p));
  // Budgets count their own windows (month, checkpoint, limit window), whatever --since says.
  const budgets = budgetLines(config, entries);
  if (ctx.json) {
    printJson(ctx, { ledger: file, since: since?.toISOString() ?? null, by, ...report, billing, budgets });
    return 0;
  }
  const printBudgets = () => {
    if (!budgets.length) {
      ctx.stdout(
        'budgets: none configured ([usage] monthly_budget_usd, checkpoint_budget_usd, [usage.limits.<provider>])',
      );
      return;
    }
    ctx.stdout('budgets:');
    for (const b of budgets) ctx.stdout(`  ${b.key}: ${b.text}\n    measures ${b.measures}`);
  };
  if (report.total.calls === 0) {
    ctx.stdout(`no model calls recorded${since ? ` since ${since.toISOString()}` : ''} (ledger: ${file})`);
    printBudgets();
    return 0;
  }
  const line = (r: UsageRow) =>
    `${r.key.padEnd(24)} ${String(r.calls).padStart(6)} ${`${Math.round(r.failureRate * 100)}%`.padStart(6)} ${String(r.tokens.input).padStart(10)} ${String(r.tokens.output).padStart(10)} ${`$${r.costUsd.toFixed(4)}`.padStart(10)}${r.unpriced ? `  (${r.unpriced} unpriced)` : ''}`;
  ctx.stdout(
    `${by.padEnd(24)} ${'calls'.padStart(6)} ${'failed'.padStart(6)} ${'tokens in'.padStart(10)} ${'tokens out'.padStart(10)} ${'cost'.padStart(10)}`,
  );
  for (const r of report.rows) ctx.stdout(line(r));
  ctx.stdout(line(report.total));
  for (const b of billing)
    ctx.stdout(
      b.billing === 'api'
        ? `api:          ${b.calls} calls, ${b.tokens.input + b.tokens.output} tokens, $${b.costUsd.toFixed(4)} spent`
        : `subscription: ${b.calls} calls, ${b.tokens.input + b.tokens.output} tokens, no API cost (~$${b.listCostUsd.toFixed(4)} at API list prices)`,
    );
  printBudgets();
  ctx.stdout(`ledger: ${file}${since ? `; since ${since.toISOString()}` : ''}; cost estimated from registry prices`);
  return 0;
};
