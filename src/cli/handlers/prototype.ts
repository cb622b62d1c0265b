import { relative } from 'node:path';
import { createGeminiClient } from '../../assets/gemini-client.ts';
import { buildPrototype } from '../../assets/prototype.ts';
import type { Handler } from '../spec.ts';
import { printJson } from '../config-context.ts';
import { assetContext, requiredString, timeoutMs } from './asset-context.ts';

export const runPrototype: Handler = async (args, ctx) => {
  const feature = requiredString(args, 'prototype', 'feature');
  const a = await assetContext(ctx);
  const gemini = createGeminiClient({
    env: ctx.env,
    baseUrl: a.config.asset_pipeline.gemini_base_url,
    timeoutMs: timeoutMs(args, a.config.models.gemini.timeout_seconds),
  });
  const out = await buildPrototype(
    {
      feature,
      files: (args.flags.file as string[] | undefined) ?? [],
      stack: args.flags.stack as string | undefined,
      model: args.flags.model as string | undefined,
      cwd: ctx.cwd,
    },
    { ...a, gemini },
  );
  const rel = (p: string) => relative(a.projectRoot, p).split('\\').join('/');
  for (const w of out.withheld) ctx.stderr(`mm: warning: secrets guard ${w} (before sending)`);
  if (ctx.json) {
    printJson(ctx, {
      scratch: rel(out.scratch),
      patch: out.patch && rel(out.patch),
      files: out.files,
      refused: out.refused,
      withheld: out.withheld,
    });
    return 0;
  }
  ctx.stdout(`prototype in ${rel(out.scratch)}/ (the project is unchanged):`);
  for (const f of out.files) ctx.stdout(`  ${f.status.padEnd(8)} ${f.path}`);
  if (out.patch) ctx.stdout(`patch: ${rel(out.patch)} (check with \`git apply --check ${rel(out.patch)}\`)`);
  for (const r of out.refused) ctx.stderr(`mm: warning: refused file ${r.path}: ${r.reason}`);
  return 0;
};
