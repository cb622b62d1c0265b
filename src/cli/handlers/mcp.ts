/** `mm mcp`: serve mm's tools over MCP on stdio until the client closes stdin. */
import type { Handler } from '../spec.ts';

export const runMcp: Handler = async (_args, ctx) => {
  // The SDK loads only here: other commands' start-up does not pay for it.
  const { serveMcp } = await import('../../mcp/server.ts');
  await serveMcp({ cwd: ctx.cwd, env: ctx.env });
  return 0;
};
