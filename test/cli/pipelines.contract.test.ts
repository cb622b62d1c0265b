/**
 * Contract: fan-out and qa keep their promises (develop: develop.contract.test.ts), through the BUILT mm, the real provider
 * layer, the REAL codex CLI (Codex fake) and the local-model fakes (Ollama native,
 * OpenAI-compatible), asserting on the fakes' request logs and the ledger.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codexEnv, codexPromptOf, startCodexFake, type CodexFake } from '../fakes/codex-server.ts';
import { startOllamaFake, startOpenAiCompatibleFake, type LocalFake } from '../fakes/local-servers.ts';
import { CODEX_BIN, writeProjectConfig } from '../helpers/invoke-context.ts';
import { mmIn } from '../helpers/mm-in.ts';
import { tempDir } from '../helpers/repo.ts';
import { readLedger } from '../../src/usage/ledger.ts';

/** One answer per materialize form; the spec's first word picks it. */
const FORMS: Record<string, string> = {
  slashes: 'Here:\n```ts\n// file: src/a.ts\nexport const a = 1;\n```\n',
  hash: '```python\n# file: tools/b.py\nB = 2\n```\n',
  html: '```html\n<!-- file: web/c.html -->\n<p>c</p>\n```\n',
  title: '```ts title="src/d.ts"\nexport const d = 4;\n```\n',
  info: '```ts src/e.ts\nexport const e = 5;\n```\n',
  diff: '```diff\n--- a/src/f.ts\n+++ b/src/f.ts\n@@ -1 +1 @@\n-old\n+new\n```\n',
};

let codex: CodexFake;
let ollama: LocalFake;
let openai: LocalFake;
beforeAll(async () => {
  codex = await startCodexFake({
    reply: (req) => {
      if (req.body?.text?.format)
        return '{"score":70,"findings":[{"severity":"medium","file":"src/a.ts","line":3,"issue":"Unchecked result of parse()","recommendation":null}]}';
      const prompt = codexPromptOf(req);
      const form = Object.keys(FORMS).find((k) => prompt.includes(`FORM-${k}`));
      return form ? FORMS[form]! : `answer from ${req.body?.model}`;
    },
  });
  ollama = await startOllamaFake();
  openai = await startOpenAiCompatibleFake();
});
afterAll(() => Promise.all([codex.close(), ollama.close(), openai.close()]));

const BASE = `[models]\ncodex_enabled = true\ngemini_enabled = false\n[models.codex]\ncommand = "${CODEX_BIN}"\n`;

function project(extra: string, local = false): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir('mm-pipelines-');
  writeProjectConfig(dir, (local ? BASE.replace('[models]\n', '[models]\nlocal_llm_enabled = true\n') : BASE) + extra);
  return { dir, env: { ...codexEnv(codex, dir), ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' } };
}

const localConfig = (api: string, url: string) =>
  `[models.local_llm]\napi = "${api}"\nendpoint = "${url}"\nrequire_eval = false\n`;

describe('swarm sampling reaches the request', () => {
  for (const [api, fake] of [
    ['ollama', () => ollama],
    ['openai-compatible', () => openai],
  ] as const) {
    it(`${api}: temperature and max_tokens in the request log; the Codex CLI's omission is reported`, async () => {
      const { dir, env } = project(localConfig(api, fake().url), true);
      writeFileSync(
        join(dir, 'tasks.json'),
        JSON.stringify([
          { label: 'local', prompt: 'fix a typo', model: 'local-llm', temperature: 0.2, max_tokens: 321 },
          { label: 'cli', prompt: 'fix a typo', model: 'gpt-5.2', temperature: 0.2, max_tokens: 321 },
        ]),
      );
      const before = fake().calls().length;
      const r = await mmIn(['fanout', '--mode', 'swarm', '--tasks', 'tasks.json', '--yes', '--json'], {
        cwd: dir,
        env,
      });
      expect(r.code, r.stderr).toBe(0);
      const sent = fake().calls().slice(before);
      expect(sent).toHaveLength(1);
      if (api === 'ollama') expect(sent[0]!.body.options).toEqual({ temperature: 0.2, num_predict: 321 });
      else expect([sent[0]!.body.temperature, sent[0]!.body.max_tokens]).toEqual([0.2, 321]);
      const out = r.json();
      expect(out.ignored).toEqual([
        {
          label: 'cli',
          model: 'gpt-5.2',
          params: ['temperature', 'max_tokens'],
          why: 'the Codex CLI has no sampling flags',
        },
      ]);
    }, 120_000);
  }
});

describe('--materialize through the real codex CLI', () => {
  it('writes a candidate for every form: comment first lines, title=, info path, unified diff', async () => {
    const { dir, env } = project('');
    const specs = Object.keys(FORMS).map((k) => {
      writeFileSync(join(dir, `${k}.md`), `FORM-${k}: write it`);
      return ['--spec', `${k}.md`];
    });
    const r = await mmIn(
      ['fanout', '--mode', 'division', ...specs.flat(), '--model', 'gpt-5.2', '--materialize', '--yes', '--json'],
      { cwd: dir, env },
    );
    expect(r.code, r.stderr).toBe(0);
    const runId = /run: (\S+)/.exec(r.stderr)![1]!;
    const cand = (p: string) => readFileSync(join(dir, '.claude/mm/runs', runId, 'outputs/candidates', p), 'utf8');
    expect(cand('slashes/src/a.ts')).toBe('export const a = 1;\n');
    expect(cand('hash/tools/b.py')).toBe('B = 2\n');
    expect(cand('html/web/c.html')).toBe('<p>c</p>\n');
    expect(cand('title/src/d.ts')).toBe('export const d = 4;\n');
    expect(cand('info/src/e.ts')).toBe('export const e = 5;\n');
    expect(cand('diff.patch')).toContain('+new');
    expect(r.stderr).not.toContain('none (');
  }, 180_000);
});

describe('competitive fan-out carries the files its spec names', () => {
  it('attaches the files it names; the .env it mentions is not sent', async () => {
    const { dir, env } = project('');
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src/util.ts'), 'export const UTIL_MARKER = 42;\n');
    writeFileSync(join(dir, '.env'), 'API_TOKEN=hunter2hunter2\n');
    writeFileSync(join(dir, 'spec.md'), 'Refactor `src/util.ts`; read settings from .env too.\n');
    const before = codex.calls().length;
    const r = await mmIn(
      [
        'fanout',
        '--mode',
        'competitive',
        '--spec',
        'spec.md',
        '--model',
        'gpt-5.2',
        '--model',
        'gpt-5.3-codex',
        '--yes',
        '--json',
      ],
      { cwd: dir, env },
    );
    expect(r.code, r.stderr).toBe(0);
    const sent = codex.calls().slice(before);
    expect(sent).toHaveLength(2);
    for (const q of sent) {
      expect(codexPromptOf(q)).toContain('UTIL_MARKER = 42');
      expect(codexPromptOf(q)).not.toContain('hunter2');
    }
  }, 120_000);
});

describe('qa', () => {
  it('merges one finding raised by three dimensions; a fallback hop is in the ledger and shown', async () => {
    const three = ['prd_compliance', 'error_handling', 'type_safety'];
    const routing =
      three.map((k) => `[routing.${k}]\nprimary = "gpt-5.2"\nfallback = []\n`).join('') +
      // Nothing listens on port 9: the local model is unavailable and gpt-5.2 takes over.
      `[routing.architecture]\nprimary = "local-llm"\nfallback = ["gpt-5.2"]\n` +
      `[routing.security]\nprimary = "gpt-5.3-codex"\nfallback = []\n` +
      localConfig('ollama', 'http://127.0.0.1:9');
    const { dir, env } = project(routing, true);
    writeFileSync(join(dir, 'change.diff'), '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-old\n+new\n');
    const r = await mmIn(['qa', '--material', 'change.diff', '--yes', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const report = r.json();
    // Five dimensions raised the same finding: one merged finding naming all five.
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].dimensions).toEqual([
      'prd_compliance',
      'error_handling',
      'type_safety',
      'architecture',
      'security',
    ]);
    expect(report.findings[0].models.sort()).toEqual(['gpt-5.2', 'gpt-5.3-codex']);
    expect(report.findings[0].fix_by).toBeTruthy();
    const hop = readLedger(join(dir, '.claude/mm/usage.jsonl')).find((e) => e.fallback_from === 'local-llm');
    expect(hop).toMatchObject({ model: 'gpt-5.2', task: 'qa:architecture', status: 'ok', effort: 'medium' });
    // The effort report reads the same ledger: the failed local hop has no effort, the codex calls do.
    const effort = await mmIn(['effort', 'report', '--json'], { cwd: dir, env });
    expect(effort.json().applied).toBe(false);
    expect(effort.json().rows).toContainEqual({
      task: 'qa:architecture',
      effort: 'medium',
      calls: 1,
      retried: 0,
      escalated: 0,
      overruled: 0,
    });
    expect(r.stderr).toContain('fallback from local-llm to gpt-5.2');
    expect(existsSync(join(dir, '.claude/mm/runs', report.run_id, 'outputs/qa.md'))).toBe(true);
  }, 180_000);
});
