/**
 * `mm mcp` through the SDK's own client over stdio: initialize, tools/list, and one call of
 * each tool against the loopback fakes (Claude through the Messages API fake, Codex through
 * the real codex CLI and its fake: the reviews here are about the MCP server, not one
 * provider, and codex starts in a tenth of gemini's CPU). Calls land in the same ledger and
 * run store as the CLI.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_TOOLS } from '../../src/mcp/tools.ts';
import { estimateTokens } from '../../src/util/tokens.ts';
import {
  anthropicPromptOf,
  codexEnv,
  startAnthropicFake,
  startCodexFake,
  type AnthropicFake,
  type CodexFake,
} from '../fakes/index.ts';
import { CODEX_BIN } from '../helpers/invoke-context.ts';
import { MM_BIN } from '../helpers/mm.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';

const LGTM = JSON.stringify({ verdict: 'LGTM', summary: 'Looks fine.', findings: [] });
const PASS = JSON.stringify({ verdict: 'PASS', summary: 'Sound plan.', findings: [] });
const ANSWER = JSON.stringify({ position: 'yes', answer: 'Yes.', confidence: 'high', claims: [] });

let claude: AnthropicFake;
let codex: CodexFake;
let repo: TempRepo;
let client: Client;
/** The server's temp folder: where its prompt files go. */
let serverTmp: string;
const promptFolders = () => readdirSync(serverTmp).filter((n) => n.startsWith('mm-mcp-'));

const text = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]!.text;

beforeAll(async () => {
  claude = await startAnthropicFake({
    reply: (req) => (anthropicPromptOf(req).includes('"position"') ? ANSWER : 'claude says hi'),
  });
  // The plan review's schema offers CONCERN; the diff review's does not.
  codex = await startCodexFake({ reply: (req) => (JSON.stringify(req.body).includes('CONCERN') ? PASS : LGTM) });
  repo = tempRepo();
  repo.write(
    '.claude/config/multi-model.toml',
    `[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${CODEX_BIN}"\n[models.claude]\naccess = "api"\n`,
  );
  repo.write('.gitignore', '.claude/mm/\n');
  repo.write('src/a.ts', 'export const a = 1;\n');
  // Over plan_review_min_tasks (20): the plan_review checkpoint ("ask") asks first.
  repo.write('plan.md', `# Plan\n\n${Array.from({ length: 25 }, (_, i) => `- [ ] Task ${i + 1}`).join('\n')}\n`);
  repo.commitAll('base');
  repo.write('src/a.ts', 'export const a = 2;\n');
  const home = mkdtempSync(join(tmpdir(), 'mm-mcp-home-'));
  const env = {
    ...(process.env as Record<string, string>),
    ...(codexEnv(codex, home) as Record<string, string>),
    // The server's own temp folder, so promptFolders() sees only what it leaves behind.
    TMPDIR: mkdtempSync(join(home, 'tmp-')),
    ANTHROPIC_API_KEY: 'test-key',
    ANTHROPIC_BASE_URL: claude.url,
    MM_CONFIG: '',
    MM_RUN_ID: '',
  };
  serverTmp = (env as Record<string, string>).TMPDIR!;
  client = new Client({ name: 'mm-test', version: '0' });
  await client.connect(
    new StdioClientTransport({ command: process.execPath, args: [MM_BIN, 'mcp'], cwd: repo.dir, env, stderr: 'pipe' }),
  );
}, 60_000);

afterAll(async () => {
  await client?.close();
  await claude?.close();
  await codex?.close();
  repo?.cleanup();
});

describe('mm mcp', () => {
  it('initializes and lists the tools, all of them together within 1,000 tokens', async () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'mm' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'route',
      'check',
      'ask',
      'review_diff',
      'review_plan',
      'consensus',
      'jobs',
    ]);
    const tokens = estimateTokens(JSON.stringify(tools));
    expect(tokens).toBe(estimateTokens(JSON.stringify(MCP_TOOLS)));
    expect(tokens).toBeLessThanOrEqual(1000);
  });

  it('route and check answer from config and git, no model called', async () => {
    const route = await client.callTool({ name: 'route', arguments: { task: 'review the auth module' } });
    expect(route.isError).toBeFalsy();
    expect(JSON.parse(text(route))).toHaveProperty('model');
    const check = await client.callTool({ name: 'check', arguments: {} });
    expect(check.isError).toBeFalsy();
    expect(JSON.parse(text(check))).toMatchObject({ files_changed: 1 });
  });

  it('ask reaches the model through the secrets guard and writes the ledger', async () => {
    const r = await client.callTool({
      name: 'ask',
      arguments: { target: 'claude', prompt: 'hello; key sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(r.isError, text(r)).toBeFalsy();
    expect(JSON.parse(text(r))).toMatchObject({ status: 'ok', text: 'claude says hi' });
    const sent = anthropicPromptOf(claude.calls().at(-1)!);
    expect(sent).toContain('hello');
    expect(sent).not.toContain('sk-ant-api03-AAAA');
    expect(readFileSync(join(repo.dir, '.claude/mm/usage.jsonl'), 'utf8')).toContain('"provider":"claude"');
  });

  it('review_diff reviews the current change and records the run', async () => {
    const r = await client.callTool({ name: 'review_diff', arguments: { with: 'codex', yes: true } });
    expect(r.isError, text(r)).toBeFalsy();
    expect(text(r)).toContain('"LGTM"');
    expect(existsSync(join(repo.dir, '.claude/mm/runs'))).toBe(true);
  });

  it('review_plan stops at the checkpoint (exit 3) until the user confirms, then reviews', async () => {
    // Without a named reviewer this is the checkpoint's suggestion, not the user's request.
    const asked = await client.callTool({ name: 'review_plan', arguments: { file: 'plan.md' } });
    expect(asked.isError).toBe(true);
    expect(text(asked)).toMatch(/^exit 3/);
    const r = await client.callTool({ name: 'review_plan', arguments: { file: 'plan.md', with: 'codex', yes: true } });
    expect(r.isError, text(r)).toBeFalsy();
    expect(text(r)).toContain('PASS');
  });

  it('consensus asks two models and compares', async () => {
    const r = await client.callTool({
      name: 'consensus',
      arguments: { prompt: 'Is 2 prime?', models: 'claude-sonnet-4-6,claude-haiku-4-5' },
    });
    expect(r.isError, text(r)).toBeFalsy();
    expect(text(r)).toContain('yes');
  });

  it('a background ask returns a job id; jobs wait and result follow it through the same server', async () => {
    const before = claude.calls().length;
    const started = await client.callTool({
      name: 'ask',
      arguments: { target: 'claude', prompt: 'background hello', background: true },
    });
    expect(started.isError, text(started)).toBeFalsy();
    const { job, state } = JSON.parse(text(started)) as { job: string; state: string };
    expect(state).toBe('running');

    const listed = await client.callTool({ name: 'jobs', arguments: { action: 'list' } });
    expect(JSON.parse(text(listed)).jobs.map((j: { job: string }) => j.job)).toContain(job);

    const waited = await client.callTool({ name: 'jobs', arguments: { action: 'wait', id: job, timeout: 50 } });
    expect(waited.isError, text(waited)).toBeFalsy();
    expect(JSON.parse(text(waited))).toMatchObject({ job, state: 'done', exit_code: 0 });

    const result = await client.callTool({ name: 'jobs', arguments: { action: 'result', id: job } });
    expect(result.isError, text(result)).toBeFalsy();
    expect(JSON.parse(text(result)).output).toMatchObject({ status: 'ok', text: 'claude says hi' });
    // The job (its own process) read the prompt file after the starting call had returned.
    expect(claude.calls().length).toBe(before + 1);
    expect(anthropicPromptOf(claude.calls().at(-1)!)).toContain('background hello');
    // Its prompt file was the job's to remove, and it did when it ended.
    const spec = JSON.parse(readFileSync(join(repo.dir, '.claude/mm/runs', job, 'job.json'), 'utf8'));
    expect(spec.temp).toHaveLength(1);
    expect(spec.temp[0]).toContain(join(serverTmp, 'mm-mcp-'));
    expect(existsSync(spec.temp[0])).toBe(false);
    expect(promptFolders()).toEqual([]);
  }, 60_000);

  it('no prompt file outlives a foreground call, or a background job that failed', async () => {
    const r = await client.callTool({ name: 'ask', arguments: { target: 'claude', prompt: 'foreground hello' } });
    expect(r.isError, text(r)).toBeFalsy();
    expect(promptFolders()).toEqual([]);
    const started = await client.callTool({
      name: 'ask',
      arguments: { target: 'no-such-model', prompt: 'never sent', background: true },
    });
    expect(started.isError, text(started)).toBeFalsy();
    const { job } = JSON.parse(text(started)) as { job: string };
    const waited = await client.callTool({ name: 'jobs', arguments: { action: 'wait', id: job, timeout: 50 } });
    // `jobs wait` exits with the job's own code (2: no such model), so the tool reports an error.
    expect(text(waited)).toMatch(/^exit 2\n/);
    expect(JSON.parse(text(waited).replace(/^exit 2\n/, ''))).toMatchObject({ job, state: 'failed' });
    expect(promptFolders()).toEqual([]);
  }, 60_000);

  it('jobs: a bad action or a cancel without an id is a tool error; an unknown id says so', async () => {
    const bad = await client.callTool({ name: 'jobs', arguments: { action: 'stop' } });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toContain('"action" must be one of list, status, result, wait, cancel');
    const noId = await client.callTool({ name: 'jobs', arguments: { action: 'cancel' } });
    expect(noId.isError).toBe(true);
    expect(text(noId)).toContain('"id" is required to cancel');
    const badTimeout = await client.callTool({ name: 'jobs', arguments: { action: 'wait', timeout: 'soon' } });
    expect(badTimeout.isError).toBe(true);
    expect(text(badTimeout)).toContain('"timeout" must be a whole number of seconds');
    const unknown = await client.callTool({ name: 'jobs', arguments: { action: 'status', id: 'no-such-job' } });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toContain('no-such-job');
  });

  it('bad input is a tool error naming the missing argument', async () => {
    const r = await client.callTool({ name: 'ask', arguments: { target: 'claude' } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('"prompt" is required');
  });
});
