/**
 * Contract: Claude through the real `claude` CLI (pinned dev dependency) against the loopback
 * fake Messages API, logged in through its own settings (apiKeyHelper), with no
 * ANTHROPIC_API_KEY in mm's environment — how a Claude Code subscriber runs mm.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeAccessFor } from '../../src/providers/claude-access.ts';
import {
  CLAUDE_CLI_SYSTEM_PROMPT,
  claudeCliArgs,
  createClaudeCliProvider,
  loginSettings,
} from '../../src/providers/claude-cli.ts';
import { invokeModel } from '../../src/providers/index.ts';
import { resolveTarget } from '../../src/providers/resolve.ts';
import { readLedger } from '../../src/usage/ledger.ts';
import { anthropicPromptOf, startAnthropicFake, writeStubCli, type AnthropicFake } from '../fakes/index.ts';
import { CLAUDE_BIN, claudeLoginHome, contextFor } from '../helpers/invoke-context.ts';
import { tempDir } from '../helpers/repo.ts';

let fake: AnthropicFake;
const login = claudeLoginHome();
beforeAll(async () => {
  fake = await startAnthropicFake({ reply: 'claude cli answer' });
});
afterAll(() => fake.close());

const CLI_CONFIG = `[models.claude]\naccess = "cli"\ncommand = "${CLAUDE_BIN}"\n`;
const subscriberEnv = () => ({ HOME: login.home, ANTHROPIC_BASE_URL: fake.url });
const provider = (toml = CLI_CONFIG) => createClaudeCliProvider(contextFor(toml, { env: subscriberEnv() }));

describe('claude-cli adapter (real claude -p)', () => {
  it('logs in through the user settings, sends model and prompt, reads text and usage; no hooks, no tools', async () => {
    const r = await provider().invoke({ prompt: 'synthesise this', cwd: tempDir(), task: 'code_review' });
    expect(r).toMatchObject({
      status: 'ok',
      text: 'claude cli answer',
      provider: 'claude-cli',
      model: 'claude-sonnet-4-6',
      usage: { input: 80, output: 20, cached: 5 },
    });
    const sent = fake.calls().at(-1)!;
    expect(sent.body.model).toBe('claude-sonnet-4-6');
    expect(anthropicPromptOf(sent)).toContain('synthesise this');
    expect(`${sent.headers['x-api-key'] ?? ''} ${sent.headers.authorization ?? ''}`).toContain('helper-key-123');
    expect(sent.body.tools ?? []).toEqual([]);
    expect(JSON.stringify(sent.body.system)).toContain(CLAUDE_CLI_SYSTEM_PROMPT);
    expect(existsSync(login.hookMarker)).toBe(false);
  });

  it('escalation asks for maximum effort; the default leaves the CLI at adaptive', async () => {
    await provider().invoke({ prompt: 'p', cwd: tempDir(), task: 'debugging_escalated', model: 'claude-opus-4-6' });
    expect(fake.calls().at(-1)!.body).toMatchObject({ model: 'claude-opus-4-6', output_config: { effort: 'max' } });
    await provider().invoke({ prompt: 'p', cwd: tempDir(), task: 'code_review', model: 'claude-opus-4-6' });
    expect(fake.calls().at(-1)!.body.output_config?.effort).not.toBe('max');
  });

  it('a schema goes in the prompt and the reply is validated', async () => {
    fake.options.reply = '{"verdict":"pass"}';
    const r = await provider().invoke({
      prompt: 'judge',
      cwd: tempDir(),
      task: 'code_review',
      schema: { type: 'object', properties: { verdict: { type: 'string' } }, required: ['verdict'] },
    });
    fake.options.reply = 'claude cli answer';
    expect(r).toMatchObject({ status: 'ok', json: { verdict: 'pass' } });
  });

  it.each([
    ['auth', 'auth'],
    ['rate_limit', 'rate_limited'],
  ] as const)('fault %s → %s', async (fault, status) => {
    fake.options.fault = fault;
    const before = fake.calls().length;
    const r = await provider().invoke({ prompt: 'p', cwd: tempDir(), task: 'code_review' });
    fake.options.fault = 'none';
    expect(r.status).toBe(status);
    expect(r.error).toMatch(/401|429/);
    // A 401 makes the CLI re-run apiKeyHelper and try again (its own login refresh); a 429 is not retried.
    if (fault === 'rate_limit') expect(fake.calls().length - before).toBe(1);
  });

  it('a model the API does not know → model_not_found, naming the id', async () => {
    fake.options.knownModels = ['claude-opus-4-6'];
    const r = await provider().invoke({ prompt: 'p', cwd: tempDir(), task: 'code_review', model: 'claude-sonnet-4-6' });
    fake.options.knownModels = undefined;
    expect(r.status, r.error).toBe('model_not_found');
    expect(r.error).toContain('claude-sonnet-4-6 no longer exists at Anthropic');
  });

  it('a hung API is a timeout', async () => {
    fake.options.fault = 'hang';
    const r = await provider().invoke({ prompt: 'p', cwd: tempDir(), task: 'code_review', timeoutMs: 4000 });
    fake.options.fault = 'none';
    expect(r.status).toBe('timeout');
  });

  it('not logged in → auth', async () => {
    const r = await createClaudeCliProvider(
      contextFor(CLI_CONFIG, { env: { HOME: tempDir(), ANTHROPIC_BASE_URL: fake.url } }),
    ).invoke({ prompt: 'p', cwd: tempDir(), task: 'code_review' });
    expect(r).toMatchObject({ status: 'auth' });
    expect(r.error).toMatch(/log/i);
  });
});

describe('what of the user settings reaches claude', () => {
  it('only login keys: apiKeyHelper on --settings, auth env in the environment (never argv); hooks and the rest stay out', () => {
    const home = tempDir();
    mkdirSync(join(home, '.claude'));
    writeFileSync(
      join(home, '.claude', 'settings.json'),
      JSON.stringify({
        apiKeyHelper: 'get-key',
        hooks: { Stop: [] },
        enabledPlugins: { x: true },
        env: { ANTHROPIC_AUTH_TOKEN: 'tok-secret', CLAUDE_CODE_USE_BEDROCK: '1', MY_VAR: 'x' },
      }),
    );
    const login = loginSettings({ HOME: home });
    expect(login).toEqual({
      settings: { apiKeyHelper: 'get-key' },
      env: { ANTHROPIC_AUTH_TOKEN: 'tok-secret', CLAUDE_CODE_USE_BEDROCK: '1' },
    });
    const argv = claudeCliArgs({ wireModel: 'm', extended: false, login: login.settings });
    expect(argv.join(' ')).not.toContain('tok-secret');
    expect(argv).toEqual(expect.arrayContaining(['--setting-sources', '', '--tools', '', '--no-session-persistence']));
    expect(loginSettings({ HOME: tempDir() })).toEqual({ settings: null, env: {} });
  });
});

describe('choosing API or CLI', () => {
  const onPath = { PATH: `${dirname(CLAUDE_BIN)}:${process.env.PATH}` };
  it('auto: the CLI when it is on PATH, logged in and no API key is set; the API when a key is set', () => {
    const ctx = contextFor('', { env: { ...onPath, HOME: login.home } });
    expect(resolveTarget('sonnet', { task: 'review' }, ctx).adapter).toBe('claude-cli');
    expect(resolveTarget('claude', { task: 'review' }, ctx).adapter).toBe('claude-cli');
    const keyed = contextFor('', { env: { ...onPath, HOME: login.home, ANTHROPIC_API_KEY: 'k' } });
    expect(resolveTarget('sonnet', { task: 'review' }, keyed).adapter).toBe('claude');
  });

  it('auto: a CLI nobody logged in to, or none at all, is no way in', () => {
    const fresh = contextFor('', { env: { ...onPath, HOME: tempDir() } });
    const way = claudeAccessFor(fresh.registry.find('opus'), fresh.loaded.config, fresh.env);
    expect(way).toMatchObject({ via: 'api', usable: false });
    expect(way.detail).toContain('login');
    const none = contextFor('', { env: { PATH: '/nonexistent', HOME: login.home } });
    expect(claudeAccessFor(none.registry.find('opus'), none.loaded.config, none.env)).toMatchObject({
      via: 'api',
      usable: false,
    });
  });

  it('per model: [models.claude].per_model overrides access', () => {
    const ctx = contextFor('[models.claude]\naccess = "api"\nper_model = { "claude-opus-4-6" = "cli" }\n', {
      env: { ...onPath, ANTHROPIC_API_KEY: 'k' },
    });
    expect(resolveTarget('opus', { task: 'review' }, ctx).adapter).toBe('claude-cli');
    expect(resolveTarget('sonnet', { task: 'review' }, ctx).adapter).toBe('claude');
  });

  it('a bad access value names the key', () => {
    let details: string[] = [];
    try {
      contextFor('[models.claude]\naccess = "web"\n');
    } catch (e) {
      details = (e as { details: string[] }).details;
    }
    expect(details.join('\n')).toMatch(/models\.claude\.access/);
  });
});

describe('claude-cli in a fallback chain', () => {
  it('a failing Codex falls back to Claude through the CLI, and the ledger records both hops', async () => {
    const bin = tempDir();
    const codex = writeStubCli(bin, 'codex', { kind: 'exit', code: 1, stderr: 'boom' });
    const root = tempDir();
    const ctx = contextFor(`[models]\ncodex_enabled = true\n[models.codex]\ncommand = "${codex}"\n${CLI_CONFIG}`, {
      env: subscriberEnv(),
      root,
    });
    const r = await invokeModel('codex', { prompt: 'review this', cwd: root, task: 'code_review' }, ctx);
    expect(r.status).toBe('ok');
    expect(r.provider).toBe('claude-cli');
    expect(r.attempts.map((a) => [a.provider, a.status])).toEqual([
      ['codex', 'failed'],
      ['claude-cli', 'ok'],
    ]);
    const lines = readLedger(join(root, '.claude/mm/usage.jsonl'));
    expect(lines.at(-1)).toMatchObject({ provider: 'claude-cli', model: 'claude-sonnet-4-6', status: 'ok' });
  });
});
