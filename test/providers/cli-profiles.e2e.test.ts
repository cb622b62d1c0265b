/** The Gemini-family lane as data: built-in profiles `gemini` and `agy`, and your own. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_CLI_PROFILES } from '../../src/config/cli-profiles.ts';
import { geminiCliOf } from '../../src/config/gemini-cli.ts';
import { profileArgs } from '../../src/providers/cli-profiles.ts';
import { createGeminiProvider } from '../../src/providers/gemini.ts';
import { writeStubCli } from '../fakes/index.ts';
import { configFrom } from '../helpers/config.ts';
import { contextFor } from '../helpers/invoke-context.ts';
import { tempDir } from '../helpers/repo.ts';

const echo = (name: string) => writeStubCli(tempDir(), name, { kind: 'echo-stdin' });
const ask = (toml: string, over: { sandbox?: 'read-only' | 'workspace-write' } = {}) =>
  createGeminiProvider(contextFor(`[models]\ngemini_enabled = true\n${toml}`)).invoke({
    prompt: 'review this diff',
    cwd: tempDir(),
    task: 'code_review',
    ...over,
  });

describe('gemini profile (default)', () => {
  it('prompt on stdin, -m, -o json and the read-only approval mode', async () => {
    const r = await ask(`[models.gemini]\ncommand = "${echo('gemini')}"\n`);
    const seen = JSON.parse(r.text);
    expect(seen.argv).toEqual(['-p', '', '-m', 'gemini-3.1-pro-preview', '-o', 'json', '--approval-mode', 'default']);
    expect(seen.length).toBe('review this diff'.length);
  });

  it('a request that widens the sandbox swaps the read-only mode for the write mode (auto_edit)', async () => {
    const r = await ask(`[models.gemini]\ncommand = "${echo('gemini')}"\n`, { sandbox: 'workspace-write' });
    const argv: string[] = JSON.parse(r.text).argv;
    expect(argv).not.toContain('default');
    expect(argv.slice(-2)).toEqual(['--approval-mode', 'auto_edit']);
  });
});

describe('agy profile', () => {
  it('prompt as the -p argument, --model, text output, --sandbox, and mm’s timeout as --print-timeout', async () => {
    const r = await ask(`[models.gemini]\nprofile = "agy"\ncommand = "${echo('agy')}"\ntimeout_seconds = 900\n`);
    expect(r.status).toBe('ok');
    // text output: stdout is the reply, here the stub's whole JSON line; nothing went to stdin.
    const seen = JSON.parse(JSON.parse(r.text).response);
    expect(seen.length).toBe(0);
    expect(seen.argv).toEqual([
      '-p',
      'review this diff',
      '--model',
      'gemini-3.1-pro-preview',
      '--output-format',
      'text',
      '--sandbox',
      '--print-timeout',
      '900s',
    ]);
    expect(r.usage).toEqual({ input: 0, output: 0, reasoning: 0, cached: 0 });
  });

  it('its command is agy unless [models.gemini] command says otherwise', () => {
    expect(geminiCliOf(configFrom('[models.gemini]\nprofile = "agy"\n').config).command).toBe('agy');
    expect(configFrom('[models.gemini]\nprofile = "agy"\n').registry.find('gemini')!.access.command).toBe('agy');
  });

  it('errors are read from stderr wording', async () => {
    const stub = writeStubCli(tempDir(), 'agy', { kind: 'exit', code: 1, stderr: 'Error: 429 Too Many Requests' });
    const r = await ask(`[models.gemini]\nprofile = "agy"\ncommand = "${stub}"\n`);
    expect(r.status).toBe('rate_limited');
  });
});

describe('your own profile', () => {
  it('a successor CLI is a config entry; unset keys follow the gemini profile', async () => {
    const toml = `[models.gemini]\nprofile = "next"\n[models.gemini.profiles.next]\ncommand = "${echo('next')}"\nmodel_flag = "--model"\nread_only_args = ["--read-only"]\n`;
    const r = await ask(toml);
    expect(JSON.parse(r.text).argv).toEqual([
      '-p',
      '',
      '--model',
      'gemini-3.1-pro-preview',
      '-o',
      'json',
      '--read-only',
    ]);
  });

  it('an unknown profile names the key and the choices', () => {
    let details: string[] = [];
    try {
      configFrom('[models.gemini]\nprofile = "gemni"\n');
    } catch (e) {
      details = (e as { details: string[] }).details;
    }
    expect(details.join('\n')).toMatch(/models\.gemini\.profile.*unknown CLI profile "gemni": use gemini or agy/);
  });

  it('profileArgs is data in, argv out', () => {
    expect(
      profileArgs(BUILTIN_CLI_PROFILES.gemini!, { wireModel: 'm', prompt: 'p', readOnly: false, timeoutMs: 1000 }),
    ).toEqual(['-p', '', '-m', 'm', '-o', 'json', '--approval-mode', 'auto_edit']);
  });
});

describe('argument profiles and big prompts', () => {
  it('a prompt over the argv limit is refused with a clear message, nothing started', async () => {
    const r = await createGeminiProvider(
      contextFor(`[models]\ngemini_enabled = true\n[models.gemini]\nprofile = "agy"\ncommand = "${echo('agy')}"\n`),
    ).invoke({ prompt: 'x'.repeat(200 * 1024), cwd: tempDir(), task: 'code_review' });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/profile "agy" passes the prompt as an argument: 200 KiB is over the 120 KiB limit/);
  });
});
