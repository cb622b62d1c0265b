import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { route, type Resolution } from '../../policy/route.ts';
import { parseCategory } from '../../policy/tasks.ts';
import { MmError } from '../../util/errors.ts';
import type { Handler } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

export const runRoute: Handler = async ({ flags }, ctx) => {
  const artifacts = ((flags.artifacts as string[] | undefined) ?? []).map((file) => {
    const path = resolve(ctx.cwd, file);
    if (!existsSync(path) || !statSync(path).isFile()) throw new MmError('input', `--artifacts ${file}: no such file`);
    return path;
  });
  const { config, registry, path } = await loadConfigFor(ctx);
  const decision = route(
    {
      task: flags.task as string | undefined,
      category: typeof flags.category === 'string' ? parseCategory(flags.category) : undefined,
      filesChanged: flags['files-changed'] as number | undefined,
      security: flags.security === true,
      contextTokens: flags['context-tokens'] as number | undefined,
      debugCycles: flags['debug-cycles'] as number | undefined,
      privacy: flags.privacy === true,
      resolution: flags.resolution as Resolution | undefined,
      complex: flags.complex === true,
      architecture: flags.architecture === true,
      web: flags.web === true,
      blocked: flags.blocked === true,
      with: flags.with as string | undefined,
      artifacts,
    },
    config,
    registry,
  );
  if (!path)
    decision.reasons.push(
      'no config file: every external model is off (plain Claude Code); `mm config init` to opt in',
    );
  if (ctx.json) {
    printJson(ctx, decision);
    return 0;
  }
  const e = decision.effort;
  ctx.stdout(
    [
      `${decision.category} → ${decision.model} (${decision.provider})`,
      `effort: claude ${e.claude}, codex ${e.codex}, gemini ${e.gemini}`,
      `checkpoint: ${decision.checkpoint ? `${decision.checkpoint.name} (${decision.checkpoint.mode})` : 'none'}`,
      `fallbacks: ${decision.fallbacks.length ? decision.fallbacks.join(' → ') : 'none'}`,
      ...decision.reasons.map((r) => `- ${r}`),
    ].join('\n'),
  );
  return 0;
};
