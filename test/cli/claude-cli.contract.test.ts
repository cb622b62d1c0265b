/**
 * Contract: a Claude Code subscriber (no ANTHROPIC_API_KEY, the real `claude` logged in
 * through its own settings) runs `mm develop plan|run`: every Claude workstream goes
 * through `claude -p` against the loopback fake Messages API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicPromptOf, startAnthropicFake, type AnthropicFake } from '../fakes/index.ts';
import { CLAUDE_BIN, claudeLoginHome, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir, tempRepo } from '../helpers/repo.ts';

let fake: AnthropicFake;
beforeAll(async () => {
  fake = await startAnthropicFake({ reply: '### `src/a.ts`\n```ts\nexport const a = 1;\n```' });
});
afterAll(() => fake.close());

const { home } = claudeLoginHome();
const env = () => ({
  HOME: home,
  ANTHROPIC_BASE_URL: fake.url,
  ANTHROPIC_API_KEY: undefined,
  ANTHROPIC_AUTH_TOKEN: undefined,
});

describe('mm develop through the claude CLI', () => {
  it('plan shows the way in; run sends the workstream through claude -p and records it', async () => {
    // develop run works in a scratch clone of HEAD: a repository with a commit.
    const root = tempRepo({ commit: true }).dir;
    writeProjectConfig(root, `[models.claude]\ncommand = "${CLAUDE_BIN}"\n`);
    const plan = await mmIn(['develop', 'plan', '--task', 'add a counter', '--workstream', 'implementation'], {
      cwd: root,
      env: env(),
    });
    expect(plan.stdout).toContain('claude-sonnet-4-6 (claude CLI)');
    // Phase 0 asked Haiku through claude -p; its prose answer (asked twice) left the deterministic graph.
    expect(
      fake
        .calls()
        .filter((q) => anthropicPromptOf(q).includes('dependency check'))
        .map((q) => q.body.model),
    ).toEqual(['claude-haiku-4-5', 'claude-haiku-4-5']);
    expect(plan.stdout).toContain('claude-haiku-4-5 gave no usable graph');

    const run = await mmAsync(
      ['develop', 'run', '--task', 'add a counter', '--workstream', 'implementation', '--yes', '--json'],
      { cwd: root, env: env() },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json().results).toHaveLength(1);
    expect(run.json().results[0]).toMatchObject({ label: 'implementation', model: 'claude-sonnet-4-6', ok: true });
    const sent = fake.calls().at(-1)!;
    expect(anthropicPromptOf(sent)).toContain('add a counter');
    expect(`${sent.headers['x-api-key'] ?? ''}`).toContain('helper-key-123');

    const usage = await mmIn(['usage', '--by', 'provider', '--json'], { cwd: root, env: env() });
    expect(JSON.stringify(usage.json())).toContain('claude-cli');
  });

  it('mm ask claude goes through the CLI; mm usage counts it as a subscription (no API cost)', async () => {
    const root = tempDir();
    writeProjectConfig(root, `[models.claude]\ncommand = "${CLAUDE_BIN}"\n`);
    const ask = await mmAsync(['ask', 'claude', '--json'], { cwd: root, env: env(), input: 'say hello' });
    expect(ask.code, ask.stderr).toBe(0);
    expect(ask.json()).toMatchObject({ status: 'ok', provider: 'claude-cli', model: 'claude-sonnet-4-6', costUsd: 0 });
    const usage = (await mmIn(['usage', '--json'], { cwd: root, env: env() })).json();
    expect(usage.billing).toEqual([expect.objectContaining({ billing: 'subscription', calls: 1, costUsd: 0 })]);
    expect(usage.billing[0].listCostUsd).toBeGreaterThan(0);
  });

  it('with neither a key nor the CLI, plan says Claude has no way in', async () => {
    const root = tempDir();
    writeProjectConfig(root, `[models.claude]\ncommand = "${tempDir()}/no-claude"\n`);
    const plan = await mmIn(['develop', 'plan', '--task', 'x', '--workstream', 'implementation'], {
      cwd: root,
      env: env(),
    });
    expect(plan.stdout).toMatch(
      /claude-sonnet-4-6: no way in: neither ANTHROPIC_API_KEY nor the claude CLI \(.* is not on PATH\)/,
    );
  });
});
