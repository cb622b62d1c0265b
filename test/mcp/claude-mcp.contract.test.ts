/**
 * The real `claude` (pinned dev dependency) with `--mcp-config` naming `mm mcp`, against the
 * scripted fake Messages API: the "model" calls the mm route tool, and the tool's answer
 * comes back to it as a tool_result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { startFakeMessages, type FakeMessages } from '../fakes/anthropic-messages.ts';
import { CLAUDE_BIN, claudeLoginHome, writeProjectConfig } from '../helpers/invoke-context.ts';
import { MM_BIN } from '../helpers/mm.ts';
import { tempDir } from '../helpers/repo.ts';

let fake: FakeMessages;
beforeAll(async () => {
  fake = await startFakeMessages({
    // Claude Code defers MCP tools: the model loads the schema with ToolSearch, then calls it.
    script: [
      { toolUse: { name: 'ToolSearch', input: { query: 'select:mcp__mm__route' } } },
      { toolUse: { name: 'mcp__mm__route', input: { task: 'review the auth module' } } },
      { text: 'routed' },
    ],
  });
});
afterAll(() => fake.close());

describe('claude --mcp-config with mm mcp', () => {
  it('claude calls an mm tool and reads its answer', async () => {
    const root = tempDir();
    writeProjectConfig(root, '');
    const { home } = claudeLoginHome();
    const mcpConfig = JSON.stringify({ mcpServers: { mm: { command: process.execPath, args: [MM_BIN, 'mcp'] } } });
    // spawnSync would block the fake's event loop: run claude asynchronously.
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        CLAUDE_BIN,
        [
          '-p',
          'route this task',
          '--output-format',
          'json',
          '--mcp-config',
          mcpConfig,
          '--strict-mcp-config',
          '--allowedTools',
          'mcp__mm__route',
          '--setting-sources',
          'user',
        ],
        {
          cwd: root,
          env: {
            PATH: process.env.PATH,
            HOME: home,
            ANTHROPIC_BASE_URL: fake.url,
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
            MM_CONFIG: '',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(JSON.parse(run.stdout).result).toBe('routed');
    const turns = fake.requests.filter((r) => r.path === '/v1/messages' && r.body.stream === true);
    // The model was told of mm's tools; the last turn carries the route tool's answer.
    expect(JSON.stringify(turns[0]!.body.messages)).toContain('mcp__mm__route');
    const results = JSON.stringify(turns.at(-1)!.body.messages);
    expect(results).toContain('tool_result');
    expect(results).toContain('\\"model\\"');
  });
});
