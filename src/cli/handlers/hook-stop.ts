/**
 * `mm hook stop`: Claude Code's Stop hook. Only the fast gate is imported up front;
 * the config schema, git and providers load when a review may be due.
 */
import { quickChangeCheck, stopGate } from '../../hooks/stop-gate.ts';
import type { Handler } from '../commands.ts';

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const runHookStop: Handler = async ({ flags }, ctx) => {
  const gate = stopGate(await readStdin(), ctx.env, ctx.cwd);
  if (!gate.go) {
    if (gate.notice) ctx.stdout(JSON.stringify({ systemMessage: gate.notice }));
    return 0;
  }
  if ((await quickChangeCheck(gate.cwd, gate.configText)) === 'nothing') return 0;
  const [{ stopReview }, { invokeModel }] = await Promise.all([import('../../hooks/stop-review.ts'), import('../../providers/index.ts')]);
  const out = await stopReview({ input: gate.input, cwd: gate.cwd, configPath: gate.configPath, env: ctx.env, invoke: invokeModel, maxRounds: flags['max-rounds'] as number | undefined });
  if (out.stdout) ctx.stdout(out.stdout);
  return out.code;
};
