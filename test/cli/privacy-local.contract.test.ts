/**
 * Issue 10, family 4: work routed local for privacy never falls back off the machine.
 * The local endpoint is down (a closed loopback port); Codex (real CLI), Gemini (real CLI)
 * and Claude (Messages API) are all enabled against loopback fakes, so any fallback would
 * show in their request logs. Every case must end `unavailable` (exit 10) with no request.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-server.ts';
import { codexEnv, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { geminiEnv, startGeminiFake, type GeminiFake } from '../fakes/gemini-server.ts';
import { startOllamaFake } from '../fakes/local-servers.ts';
import { CODEX_BIN, GEMINI_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmAsync } from '../helpers/mm-async.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir } from '../helpers/repo.ts';

let codex: CodexFake;
let gemini: GeminiFake;
let claude: AnthropicFake;
let downUrl: string;
let env: NodeJS.ProcessEnv;

/** A loopback port with nothing listening: the local model is down. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}`;
}

function project(localExtra = '', endpoint = downUrl, localEnabled = true, geminiBin = GEMINI_BIN): string {
  const dir = tempDir('mm-privacy-');
  writeProjectConfig(
    dir,
    [
      '[models]',
      'codex_enabled = true',
      'gemini_enabled = true',
      `local_llm_enabled = ${localEnabled}`,
      '[models.codex]',
      `command = "${CODEX_BIN}"`,
      '[models.gemini]',
      `command = "${geminiBin}"`,
      '[models.local_llm]',
      `endpoint = "${endpoint}"`,
      'always_local = ["security"]',
      localExtra,
    ].join('\n'),
  );
  return dir;
}

const sent = () => codex.requests.length + gemini.calls().length + claude.requests.length;

beforeAll(async () => {
  codex = await startCodexFake({ reply: 'codex saw it' });
  gemini = await startGeminiFake({ reply: 'gemini saw it' });
  claude = await startAnthropicFake({ reply: 'claude saw it' });
  downUrl = await closedPort();
  const home = tempDir('mm-privacy-home-');
  env = {
    ...codexEnv(codex, home),
    ...geminiEnv(gemini, home),
    ANTHROPIC_BASE_URL: claude.url,
    ANTHROPIC_API_KEY: 'x',
  };
});
afterAll(() => {
  codex.close();
  gemini.close();
  claude.close();
});

const PRIVATE = 'PRIVATE-PROMPT: the merger terms are 42';

describe('privacy work never falls back off the machine', () => {
  const cases: [string, string[], () => string][] = [
    ['mm ask local with the endpoint down', ['ask', 'local'], () => project()],
    ['mm ask codex --privacy', ['ask', 'codex', '--privacy'], () => project()],
    ['mm ask gemini --privacy', ['ask', 'gemini', '--privacy'], () => project()],
    ['an always_local task asked of codex', ['ask', 'codex', '--task', 'security'], () => project()],
    ['an always_local task asked of local', ['ask', 'local', '--task', 'security'], () => project()],
    ['--privacy with the local model disabled', ['ask', 'claude', '--privacy'], () => project('', downUrl, false)],
    [
      'a non-loopback local endpoint without the opt-in',
      ['ask', 'local'],
      () => project('', 'http://192.0.2.10:11434'),
    ],
  ];
  for (const [name, args, dir] of cases) {
    it(
      name,
      async () => {
        const before = sent();
        const r = await mmAsync(args, { cwd: dir(), env, input: PRIVATE });
        expect(r.stdout).not.toMatch(/saw it/);
        expect(r.stderr).toMatch(/unavailable/);
        expect(r.code, r.stderr).toBe(10);
        expect(sent()).toBe(before);
      },
      60_000,
    );
  }

  it('the local model answers when it is up (nothing else is asked)', async () => {
    const ollama = await startOllamaFake({ reply: 'local answer' });
    try {
      const before = sent();
      const r = await mmAsync(['ask', 'local', '--privacy'], { cwd: project('', ollama.url), env, input: PRIVATE });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('local answer');
      expect(sent()).toBe(before);
    } finally {
      ollama.close();
    }
  });
});

describe('mm doctor and a local endpoint that is not on loopback', () => {
  // Only the local item is asserted here: a gemini command that is not there spares doctor's
  // `gemini --version` probe (a real gemini launch, ~2 CPU-s) per case.
  const doctorProject = (localExtra: string, endpoint: string) =>
    project(localExtra, endpoint, true, '/nonexistent/gemini');

  it('reports it as not ready, with the opt-in key as the fix', async () => {
    const r = await mmIn(['doctor', '--json'], { cwd: doctorProject('', 'http://192.0.2.10:11434'), env });
    const item = r.json().items.find((i: { integration: string }) => i.integration === 'local (privacy)');
    expect(item).toMatchObject({ ok: false });
    expect(item.fix).toMatch(/allow_remote_endpoint = true/);
  });

  it('accepts it with models.local_llm.allow_remote_endpoint = true', async () => {
    const dir = doctorProject('allow_remote_endpoint = true', 'http://192.0.2.10:11434');
    const r = await mmIn(['doctor', '--json'], { cwd: dir, env });
    const item = r.json().items.find((i: { integration: string }) => i.integration === 'local (privacy)');
    expect(item).toMatchObject({ ok: true });
  });

  it('says nothing about a loopback endpoint', async () => {
    const r = await mmIn(['doctor', '--json'], { cwd: doctorProject('', 'http://localhost:11434'), env });
    expect(r.json().items.some((i: { integration: string }) => i.integration === 'local (privacy)')).toBe(false);
  });
});
