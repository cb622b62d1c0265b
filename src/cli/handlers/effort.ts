import { projectRoot } from '../../config/locate.ts';
import { effortRows, suggestEffort } from '../../usage/effort-report.ts';
import { refereeOverrules } from '../../workflows/referee/effort-overrules.ts';
import { ledgerPath, readLedger } from '../../usage/ledger.ts';
import { parseSince } from '../../usage/report.ts';
import type { Handler } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

export const runEffortReport: Handler = async ({ flags }, ctx) => {
  const { config, path } = await loadConfigFor(ctx);
  const root = projectRoot(ctx.cwd, path);
  const since = typeof flags.since === 'string' ? parseSince(flags.since) : undefined;
  const ledger = readLedger(ledgerPath(root, config.usage.ledger)).filter((e) => !since || new Date(e.ts) >= since);
  const rows = effortRows(ledger, refereeOverrules(root, ledger));
  const suggestions = suggestEffort(rows, config);
  if (ctx.json) {
    printJson(ctx, { rows, suggestions, applied: false });
    return 0;
  }
  if (rows.length === 0) {
    ctx.stdout('No calls with a recorded effort yet (the ledger records it for Codex and Claude calls).');
    return 0;
  }
  ctx.stdout(
    `${'task'.padEnd(24)} ${'effort'.padEnd(9)} ${'calls'.padStart(5)} ${'retried'.padStart(7)} ${'escalated'.padStart(9)} ${'overruled'.padStart(9)}`,
  );
  for (const r of rows)
    ctx.stdout(
      `${r.task.padEnd(24)} ${r.effort.padEnd(9)} ${String(r.calls).padStart(5)} ${String(r.retried).padStart(7)} ${String(r.escalated).padStart(9)} ${String(r.overruled).padStart(9)}`,
    );
  if (suggestions.length === 0) ctx.stdout('\nNo change suggested.');
  for (const s of suggestions)
    ctx.stdout(`\nSuggested (not applied): ${s.task} ${s.from} → ${s.to}: ${s.why}\n${s.toml}`);
  if (suggestions.length) ctx.stdout('\nTo accept, add the lines above to .claude/config/multi-model.toml.');
  return 0;
};
