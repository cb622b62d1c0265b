import { join } from 'node:path';
import { projectRoot } from '../../config/locate.ts';
import { mcpClientSnippets } from '../../mcp/client-config.ts';
import { claudeAccessFor } from '../../providers/claude-access.ts';
import { findOnPath } from '../../process/find-on-path.ts';
import { probeAccess } from '../../registry/access.ts';
import { liveView } from '../../registry/live-view.ts';
import { notReady, readinessItems } from '../../doctor/readiness.ts';
import { configWarnings, type LiveFinding } from '../../registry/live-check.ts';
import { packageRoot } from '../../util/package-root.ts';
import { PRICES_AS_OF, type RegistryEntry } from '../../registry/models.ts';
import type { Handler } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

function formatContext(e: RegistryEntry): string {
  const k = (n: number | null) =>
    n === null ? '?' : n >= 1_000_000 ? `${n / 1_000_000}M` : `${Math.round(n / 1000)}K`;
  return e.context_in === null && e.context_out === null
    ? (e.context_note ?? '—')
    : `${k(e.context_in)}/${k(e.context_out)}`;
}

function formatPrice(e: RegistryEntry): string {
  const p = e.prices;
  if (!p) return 'unknown';
  if (p.input_per_mtok !== undefined) return `$${p.input_per_mtok}/$${p.output_per_mtok ?? '?'} per MTok`;
  if (p.per_image)
    return (
      Object.entries(p.per_image)
        .map(([r, v]) => `${r} $${v}`)
        .join(', ') + ' per image'
    );
  if (p.per_second !== undefined) return `$${p.per_second} per second`;
  return 'unknown';
}

const goneLine = (f: LiveFinding) =>
  `${f.model}: ${f.wire} is unknown or retired at ${f.at}${f.suggestion ? ` (use ${f.suggestion})` : ''}`;

export const runModels: Handler = async ({ flags }, ctx) => {
  const { registry, config, path } = await loadConfigFor(ctx);
  const access = flags.offline ? null : await probeAccess(registry.entries, ctx.env);
  const live = liveView(projectRoot(ctx.cwd, path), registry, config);
  const rows = registry.entries.map((e) => ({
    ...e,
    enabled: registry.isEnabled(e),
    available: access?.get(e.id) ?? null,
    live: live.findings.find((f) => f.model === e.id) ?? null,
  }));
  const warnings = configWarnings(config, registry);
  if (live.problem) ctx.stderr(`mm: warning: ${live.problem}`);
  if (ctx.json) {
    printJson(ctx, {
      prices_as_of: PRICES_AS_OF,
      models: rows,
      live_checked_at: live.cache?.checked_at ?? null,
      config_warnings: warnings,
    });
    return 0;
  }
  ctx.stdout(
    `${'model'.padEnd(22)} ${'provider'.padEnd(12)} ${'context'.padEnd(10)} ${'cost'.padEnd(5)} ${'enabled'.padEnd(8)} access`,
  );
  for (const r of rows) {
    const status = r.available ? `${r.available.present ? 'ok' : 'missing'}: ${r.available.detail}` : r.access.kind;
    ctx.stdout(
      `${r.id.padEnd(22)} ${r.integration.padEnd(12)} ${formatContext(r).padEnd(10)} ${r.cost_tier.padEnd(5)} ${(r.enabled ? 'yes' : 'no').padEnd(8)} ${status}`,
    );
  }
  ctx.stdout(
    `\nPrices (${PRICES_AS_OF}): ${rows
      .filter((r) => r.prices)
      .map((r) => `${r.id} ${formatPrice(r)}`)
      .join('; ')}`,
  );
  const notes = rows.filter((r) => r.status === 'legacy' || r.status === 'shut_down' || r.status === 'unverified');
  if (notes.length) {
    ctx.stdout('\nLifecycle:');
    for (const r of notes)
      ctx.stdout(
        `  ${r.id}: ${r.status === 'shut_down' ? 'shut down' : r.status}${r.successor ? ` (successor: ${r.successor})` : ''}${r.verified?.unverified && r.status === 'unverified' ? `: ${r.verified.unverified}` : ''}`,
      );
  }
  const former = rows.flatMap((r) => (r.former_ids ?? []).map((f) => ({ r, f })));
  if (former.length) {
    ctx.stdout('\nOld ids (still accepted, resolve to the current entry):');
    for (const { r, f } of former)
      ctx.stdout(`  ${f.id} → ${r.id}: ${f.note}${f.gone_since ? ` (gone ${f.gone_since})` : ''}`);
  }
  for (const w of warnings) ctx.stdout(`! config: ${w.message}`);
  const gone = live.findings.filter((f) => !f.listed);
  if (live.cache) {
    ctx.stdout(
      `\nLive check ${live.cache.checked_at.slice(0, 10)} (${live.ageDays} day${live.ageDays === 1 ? '' : 's'} ago; \`mm models refresh\` to renew): ${gone.length ? `${gone.length} not listed` : 'every id asked about is listed'}`,
    );
    for (const f of gone) ctx.stdout(`  ✗ ${goneLine(f)}`);
  } else ctx.stdout('\nNo live check yet: `mm models refresh` asks the providers which ids still exist.');
  ctx.stdout('Best for, hazards, effort levels, verification dates: mm models --json');
  return 0;
};

export const runDoctor: Handler = async (_args, ctx) => {
  const { registry, path, config } = await loadConfigFor(ctx);
  const items = readinessItems({
    registry,
    config,
    access: await probeAccess(registry.entries, ctx.env),
    claudeAccess: (entry) => claudeAccessFor(entry, config, ctx.env),
    live: liveView(projectRoot(ctx.cwd, path), registry, config),
  });
  const launch = findOnPath('mm', ctx.env) ? ['mm'] : [process.execPath, join(packageRoot(), 'bin', 'mm.js')];
  const mcp = mcpClientSnippets(launch);
  const problems = notReady(items);
  if (ctx.json) {
    printJson(ctx, { config: path, ready: problems.length === 0, items, mcp });
    return problems.length ? 1 : 0;
  }
  ctx.stdout(path ? `config: ${path}` : 'config: none (plain Claude Code; `mm config init` to opt in)');
  for (const i of items) {
    const mark = !i.enabled ? '-' : !i.ok ? '✗' : i.warning ? '!' : '✓';
    ctx.stdout(
      `${mark} ${i.integration.padEnd(14)} ${i.enabled ? 'enabled ' : 'disabled'}  ${i.detail}${i.fix && (i.enabled || !i.ok) ? `\n    fix: ${i.fix}` : ''}`,
    );
  }
  ctx.stdout('\nmm as an MCP server (`mm mcp`) for other clients:');
  for (const m of mcp) ctx.stdout(`  ${m.client} — ${m.where}:\n${m.snippet.replace(/^/gm, '    ')}`);
  ctx.stdout(
    problems.length
      ? `\n${problems.length} enabled integration${problems.length === 1 ? '' : 's'} not ready.`
      : '\nEverything enabled is ready.',
  );
  return problems.length ? 1 : 0;
};
