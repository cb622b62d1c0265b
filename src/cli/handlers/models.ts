import { probeAccess } from '../../registry/access.ts';
import { readiness } from '../../registry/readiness.ts';
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

export const runModels: Handler = async ({ flags }, ctx) => {
  const { registry } = await loadConfigFor(ctx);
  const access = flags.offline ? null : await probeAccess(registry.entries, ctx.env);
  const rows = registry.entries.map((e) => ({
    ...e,
    enabled: registry.isEnabled(e),
    available: access?.get(e.id) ?? null,
  }));
  if (ctx.json) {
    printJson(ctx, { prices_as_of: PRICES_AS_OF, models: rows });
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
  ctx.stdout('Best for, hazards and effort levels: mm models --json');
  return 0;
};

export const runDoctor: Handler = async (_args, ctx) => {
  const { registry, path, config } = await loadConfigFor(ctx);
  const items = readiness(config, registry, await probeAccess(registry.entries, ctx.env));
  const problems = items.filter((i) => !i.ok);
  if (ctx.json) {
    printJson(ctx, { config: path, ready: problems.length === 0, items });
    return problems.length ? 1 : 0;
  }
  ctx.stdout(path ? `config: ${path}` : 'config: none (plain Claude Code; `mm config init` to opt in)');
  for (const i of items) {
    const mark = !i.enabled ? '-' : i.ok ? '✓' : '✗';
    ctx.stdout(
      `${mark} ${i.integration.padEnd(14)} ${i.enabled ? 'enabled ' : 'disabled'}  ${i.detail}${i.fix && (i.enabled || !i.ok) ? `\n    fix: ${i.fix}` : ''}`,
    );
  }
  ctx.stdout(
    problems.length
      ? `\n${problems.length} enabled integration${problems.length === 1 ? '' : 's'} not ready.`
      : '\nEverything enabled is ready.',
  );
  return problems.length ? 1 : 0;
};
