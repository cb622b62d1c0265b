import { join } from 'node:path';
import { projectRoot } from '../../config/locate.ts';
import type { Config } from '../../config/schema.ts';
import { mcpClientSnippets } from '../../mcp/client-config.ts';
import { claudeAccessFor } from '../../providers/claude-access.ts';
import { findOnPath, probeAccess, type AccessStatus } from '../../registry/access.ts';
import { cacheAgeDays, LIVE_CACHE_STALE_DAYS, readLiveCache, type LiveCache } from '../../registry/live-cache.ts';
import { compareWithLists, configWarnings, shutDownEnabled, type LiveFinding } from '../../registry/live-check.ts';
import { packageRoot } from '../../util/package-root.ts';
import { PRICES_AS_OF, type RegistryEntry } from '../../registry/models.ts';
import { enableFlagOf, type Registry } from '../../registry/registry.ts';
import type { Handler } from '../spec.ts';
import { isLoopbackUrl } from '../../providers/loopback.ts';
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

/** What the last `mm models refresh` said, read from its cache: no network. */
interface LiveView {
  cache: LiveCache | null;
  problem?: string;
  findings: LiveFinding[];
  ageDays: number | null;
}

function liveView(root: string, registry: Registry, config: Config): LiveView {
  const { cache, problem } = readLiveCache(root);
  if (!cache) return { cache, problem, findings: [], ageDays: null };
  return { cache, findings: compareWithLists(registry, config, cache.lists), ageDays: cacheAgeDays(cache) };
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

interface DoctorItem {
  integration: string;
  enabled: boolean;
  ok: boolean;
  models: string[];
  detail: string;
  fix?: string;
  /** Works today, but needs attention (an old id, an old live check). */
  warning?: boolean;
}

/**
 * Model ids that are gone or going, from the registry's own lifecycle data and the last
 * `mm models refresh` (its cache: no network here).
 */
function registryItems(registry: Registry, config: Config, root: string): DoctorItem[] {
  const items: DoctorItem[] = [];
  for (const e of shutDownEnabled(registry))
    items.push({
      integration: e.id,
      enabled: true,
      ok: false,
      models: [e.id],
      detail: `${e.name} was shut down by ${e.vendor}${e.verified ? ` (checked ${e.verified.date}: ${e.verified.source})` : ''}`,
      fix: e.successor
        ? `switch to ${e.successor}`
        : `turn it off (${enableFlagOf(e.integration) ?? 'enabled'} = false): there is no successor`,
    });
  for (const w of configWarnings(config, registry))
    if (registry.formerId(w.value))
      items.push({
        integration: 'config',
        enabled: true,
        ok: true,
        warning: true,
        models: [w.value],
        detail: w.message,
      });
  const live = liveView(root, registry, config);
  if (live.problem)
    items.push({ integration: 'live check', enabled: true, ok: true, warning: true, models: [], detail: live.problem });
  if (!live.cache) return items;
  for (const f of live.findings.filter((x) => !x.listed)) {
    const entry = registry.find(f.model);
    if (!entry || !registry.isEnabled(entry)) continue;
    // A slug missing from the Codex CLI's catalog still runs (degraded): a warning, not "not ready".
    items.push({
      integration: f.model,
      enabled: true,
      ok: Boolean(f.note),
      ...(f.note ? { warning: true } : {}),
      models: [f.model],
      detail: `${f.wire} is unknown or retired at ${f.at} (mm models refresh, ${live.cache.checked_at.slice(0, 10)})${f.note ? `: ${f.note}` : ''}`,
      fix: f.suggestion
        ? `use ${f.suggestion}: set it in the config ([models] or [[registry.models]] model = "${f.suggestion}")`
        : '`mm models refresh --json` lists what the provider has',
    });
  }
  if ((live.ageDays ?? 0) > LIVE_CACHE_STALE_DAYS)
    items.push({
      integration: 'live check',
      enabled: true,
      ok: true,
      warning: true,
      models: [],
      detail: `the last \`mm models refresh\` is ${live.ageDays} days old`,
      fix: 'mm models refresh',
    });
  return items;
}

export const runDoctor: Handler = async (_args, ctx) => {
  const { registry, path, config } = await loadConfigFor(ctx);
  const access = await probeAccess(registry.entries, ctx.env);
  const groups = new Map<string, RegistryEntry[]>();
  for (const e of registry.entries) {
    const key = e.integration === 'custom' ? e.id : e.integration;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const items: DoctorItem[] = [];
  for (const [name, entries] of groups) {
    const first = entries[0]!;
    const enabled = registry.isEnabled(first);
    const status: AccessStatus = access.get(first.id)!;
    const flag = enableFlagOf(first.integration);
    const fix = !enabled
      ? flag
        ? `set ${flag} = true in [models]`
        : `set enabled = true on [[registry.models]] ${first.id}`
      : status.present
        ? undefined
        : status.fix;
    // Claude Code itself is always there; headless calls (fallbacks, develop, qa) need a way in.
    const headless = first.integration === 'claude' ? claudeAccessFor(first, config, ctx.env) : undefined;
    items.push({
      integration: name,
      enabled,
      ok: !enabled || status.present,
      models: entries.map((e) => e.id),
      detail: headless ? `${status.detail}; headless: ${headless.detail}` : status.detail,
      fix:
        fix ??
        (headless && !headless.usable
          ? 'for headless Claude: export ANTHROPIC_API_KEY=…, or log in to the claude CLI ([models.claude] access)'
          : undefined),
    });
  }
  const launch = findOnPath('mm', ctx.env) ? ['mm'] : [process.execPath, join(packageRoot(), 'bin', 'mm.js')];
  const mcp = mcpClientSnippets(launch);
  if (config.models.local_llm_enabled && !config.models.local_llm.pinning.model_id) {
    items.push({
      integration: 'local (code generation)',
      enabled: true,
      ok: false,
      models: ['local-llm'],
      detail: 'local model not pinned',
      fix: 'set [models.local_llm.pinning] model_id (and eval_suite when require_eval = true)',
    });
  }
  const local = config.models.local_llm;
  if (config.models.local_llm_enabled && !isLoopbackUrl(local.endpoint)) {
    items.push({
      integration: 'local (privacy)',
      enabled: true,
      ok: local.allow_remote_endpoint,
      models: ['local-llm'],
      detail: local.allow_remote_endpoint
        ? `endpoint ${local.endpoint} is another machine (allowed by models.local_llm.allow_remote_endpoint)`
        : `endpoint ${local.endpoint} is not on this machine: local calls are refused`,
      fix: local.allow_remote_endpoint
        ? undefined
        : 'point models.local_llm.endpoint at localhost, or set models.local_llm.allow_remote_endpoint = true if that host is yours',
    });
  }
  items.push(...registryItems(registry, config, projectRoot(ctx.cwd, path)));
  const problems = items.filter((i) => !i.ok);
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
