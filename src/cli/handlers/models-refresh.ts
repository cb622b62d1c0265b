import { projectRoot } from '../../config/locate.ts';
import { compareWithLists, configWarnings } from '../../registry/live-check.ts';
import { writeLiveCache } from '../../registry/live-cache.ts';
import { fetchLists, listSources } from '../../registry/live-lists.ts';
import { MmError } from '../../util/errors.ts';
import type { Handler } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';
import { EXIT, exitCodeFor } from '../exit-codes.ts';

const DEFAULT_TIMEOUT_S = 15;

export const runModelsRefresh: Handler = async ({ flags }, ctx) => {
  const timeout = flags.timeout ?? DEFAULT_TIMEOUT_S;
  if (typeof timeout !== 'number' || timeout <= 0)
    throw new MmError('usage', `--timeout must be a positive number of seconds, got ${String(timeout)}`);
  const { registry, config, path } = await loadConfigFor(ctx);
  const root = projectRoot(ctx.cwd, path);
  const { sources, skipped } = listSources(config, registry, ctx.env);
  const lists = await fetchLists(sources, timeout * 1000);
  const checkedAt = new Date().toISOString();
  const cachePath = writeLiveCache(root, { version: 1, checked_at: checkedAt, lists, skipped });
  const findings = compareWithLists(registry, config, lists);
  const missing = findings.filter((f) => !f.listed);
  const failed = lists.filter((l) => !l.ok);
  const warnings = configWarnings(config, registry);
  const exit = missing.length ? EXIT.failed : failed.length ? exitCodeFor(failed[0]!.errorKind ?? 'failed') : EXIT.ok;

  if (ctx.json) {
    printJson(ctx, {
      checked_at: checkedAt,
      cache: cachePath,
      asked: lists.map(({ ids, ...l }) => ({ ...l, listed_count: ids.length })),
      not_asked: skipped,
      findings,
      config_warnings: warnings,
      ok: exit === EXIT.ok,
    });
    return exit;
  }
  if (lists.length === 0) ctx.stdout('No provider asked: no enabled integration has what a model list needs.');
  else
    ctx.stdout(
      `Asked: ${lists.map((l) => `${l.at} (${l.ok ? `${l.ids.length} models listed` : 'failed'})`).join(', ')}`,
    );
  for (const s of skipped) ctx.stdout(`Not asked: ${s.provider}: ${s.reason}`);
  for (const l of failed) ctx.stdout(`! ${l.at}: ${l.errorKind}: ${l.error}`);
  for (const f of findings)
    ctx.stdout(
      f.listed
        ? `✓ ${f.model.padEnd(22)} ${f.wire} is listed by ${f.at}`
        : `✗ ${f.model.padEnd(22)} ${f.wire} is unknown or retired at ${f.at}${f.suggestion ? ` → use ${f.suggestion}` : ''}${f.note ? `\n    ${f.note}` : ''}`,
    );
  for (const w of warnings) ctx.stdout(`! config: ${w.message}`);
  ctx.stdout(`\nSaved to ${cachePath}: \`mm doctor\` and \`mm models\` warn from it without a network call.`);
  if (missing.length)
    ctx.stdout(
      `${missing.length} model id${missing.length === 1 ? '' : 's'} not listed: update [models] or [[registry.models]] in the config, or upgrade mm for a newer registry.`,
    );
  return exit;
};
