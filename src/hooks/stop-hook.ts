/**
 * The Stop hook from stdin to output. Only the fast gate is loaded up front; the
 * config schema, git analysis and providers load when a review may be due.
 */
import { quickChangeCheck, stopGate } from './stop-gate.ts';

export interface StopHookResult {
  code: number;
  stdout: string;
}

export async function runStopHook(
  stdin: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  maxRounds?: number,
): Promise<StopHookResult> {
  const gate = stopGate(stdin, env, cwd);
  if (!gate.go) return { code: 0, stdout: gate.notice ? JSON.stringify({ systemMessage: gate.notice }) : '' };
  if ((await quickChangeCheck(gate.cwd, gate.configText)) === 'nothing') return { code: 0, stdout: '' };
  const [{ stopReview }, { invokeModel }] = await Promise.all([
    import('./stop-review.ts'),
    import('../providers/index.ts'),
  ]);
  return stopReview({
    input: gate.input,
    cwd: gate.cwd,
    configPath: gate.configPath,
    env,
    invoke: invokeModel,
    maxRounds,
  });
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
