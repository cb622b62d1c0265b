/** `mm hook stop`: Claude Code's Stop hook (see src/hooks/stop-hook.ts). */
import { readStdin, runStopHook } from '../../hooks/stop-hook.ts';
import type { Handler } from '../spec.ts';

export const runHookStop: Handler = async ({ flags }, ctx) => {
  const out = await runStopHook(await readStdin(), ctx.env, ctx.cwd, flags['max-rounds'] as number | undefined);
  if (out.stdout) ctx.stdout(out.stdout);
  return out.code;
};
