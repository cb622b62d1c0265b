import { route } from '../../policy/route.ts';
import type { Handler } from '../spec.ts';
import { loadConfigFor, printJson } from '../config-context.ts';

/** Routing only: the skill asks this, then Claude writes the SVG or asks Gemini. */
export const runSvgRoute: Handler = async ({ flags }, ctx) => {
  const { config, registry } = await loadConfigFor(ctx);
  const decision = route({ category: 'svg', complex: flags.complex === true }, config, registry);
  if (ctx.json) printJson(ctx, decision);
  else
    ctx.stdout(
      [`svg → ${decision.model} (${decision.provider})`, ...[...new Set(decision.reasons)].map((r) => `- ${r}`)].join(
        '\n',
      ),
    );
  return 0;
};
