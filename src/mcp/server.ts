/**
 * `mm mcp`: the Model Context Protocol over stdio (official SDK), so Cursor, Codex CLI,
 * Gemini CLI or another Claude Code reach mm's tools. Each call runs the matching `mm`
 * command in this process, through the same entry point as the CLI: one code path for
 * the secrets guard, checkpoints, budgets, ledger and run store. A non-zero exit is a tool
 * error whose text says why (exit 3: ask the user, then call again with yes: true).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import pkg from '../../package.json' with { type: 'json' };
import { main } from '../cli/main.ts';
import { argvFor, MCP_TOOLS } from './tools.ts';

interface ToolOutcome {
  exitCode: number;
  text: string;
}

/** One tool call as the CLI would run it; stdout (JSON) is the answer, stderr explains failures. */
async function callTool(
  name: string,
  args: Record<string, unknown>,
  io: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ToolOutcome> {
  const scratch = mkdtempSync(join(tmpdir(), 'mm-mcp-'));
  const background = args.background === true;
  let handedToJob = false;
  try {
    let n = 0;
    const argv = argvFor(name, args, (text) => {
      const file = join(scratch, `prompt-${n++}.txt`);
      writeFileSync(file, text);
      return file;
    });
    const out: string[] = [];
    const err: string[] = [];
    const exitCode = await main(argv, {
      cwd: io.cwd,
      env: io.env,
      isTTY: false,
      // A background job reads its --prompt-file after this call returns: it removes the folder when it ends.
      jobTemp: background ? [scratch] : undefined,
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
    });
    const text = exitCode === 0 ? out.join('\n') : [...err, ...out].join('\n') || `mm ${argv[0]} exited ${exitCode}`;
    handedToJob = background && exitCode === 0;
    return { exitCode, text: exitCode === 0 ? text : `exit ${exitCode}\n${text}` };
  } catch (e) {
    return { exitCode: 2, text: (e as Error).message };
  } finally {
    // A foreground call has used its prompt; a job that started owns it; one that did not start never will.
    if (!handedToJob) rmSync(scratch, { recursive: true, force: true });
  }
}

export async function serveMcp(io: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  const server = new Server({ name: 'mm', version: pkg.version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: MCP_TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const outcome = await callTool(request.params.name, request.params.arguments ?? {}, io);
    return { content: [{ type: 'text', text: outcome.text }], isError: outcome.exitCode !== 0 };
  });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.on('end', resolve);
  });
  await server.connect(transport);
  await closed;
}
