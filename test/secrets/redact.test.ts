import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { guardSecrets } from '../../src/secrets/guard.ts';
import { isSecretFile, isSecretPath, secretPathMatcher } from '../../src/secrets/paths.ts';
import { redactSecrets } from '../../src/secrets/redact.ts';
import { ATTACH_CASES, canary, privateKey, SHAPE_CASES, STDIN_DIFF_CASES } from '../security/corpus.ts';

const secrets = (over: object = {}) => ({ ...configSchema.parse({}).secrets, ...over });

describe('redaction of secret shapes (secretlint recommended + mm patterns)', () => {
  it.each(SHAPE_CASES.map((c) => [c.id, c] as const))('%s: the secret part is gone', (_id, c) => {
    const secret = canary(`unit:${c.id}`);
    const { text, found } = redactSecrets(`before\n${c.text(secret)}\nafter`);
    expect(text).not.toContain(secret);
    expect(found.size).toBeGreaterThan(0);
    expect(text.startsWith('before\n')).toBe(true);
    expect(text.endsWith('\nafter')).toBe(true);
  });

  it('keeps the names readable: only the value of secret: NAME = "value" and k8s pairs is redacted', () => {
    const { text } = redactSecrets(
      'secret: API_TOKEN = "9fK2xQ7mLp0Zr4Tv"\n- name: STRIPE_API_KEY\n  value: "9fK2xQ7mLp0Zr4Tv"\nDB_PASS=hunter22',
    );
    expect(text).toBe(
      'secret: API_TOKEN = "[REDACTED]"\n- name: STRIPE_API_KEY\n  value: "[REDACTED Kubernetes secret env value]"\nDB_PASS=[REDACTED]',
    );
  });

  it('leaves ordinary code, URLs without passwords and placeholders alone', () => {
    const code = [
      'const url = "https://example.com/path?q=1";',
      'git clone git@github.com:org/repo.git',
      'const password = process.env.DB_PASSWORD;',
      'DB_PASSWORD=${DB_PASSWORD}',
      'Bearer tokens are described in RFC 6750.',
      'mysql -u root -h localhost',
      'for (const k of keys) total += k.length;',
    ].join('\n');
    expect(redactSecrets(code)).toEqual({ text: code, found: new Map() });
  });

  it('keeps the line count of a multi-line secret, and redacting twice changes nothing', () => {
    const input = `a\n${privateKey(canary('lines'), 6)}\nb\nDB_PASS=hunter22 curl -u me:pw12345 x`;
    const once = redactSecrets(input).text;
    expect(once.split('\n')).toHaveLength(input.split('\n').length);
    expect(redactSecrets(once)).toEqual({ text: once, found: new Map() });
  });

  it('the second half of a key (END without BEGIN, as in a later chunk) is redacted too', () => {
    const key = privateKey(canary('tail'), 8).split('\n');
    const tail = ['12 unrelated line', ...key.slice(5).map((l, i) => `${20 + i}+${l}`)].join('\n');
    const { text } = redactSecrets(tail);
    expect(text).not.toContain(canary('tail').slice(0, 20));
    expect(text.split('\n')[0]).toBe('12 unrelated line');
  });

  it('a "secretlint-disable" comment does not switch redaction off', () => {
    const token = `ghp_${'a1B2c3D4e5'.repeat(4).slice(0, 36)}`;
    expect(redactSecrets(`// secretlint-disable\nconst t = "${token}";`).text).not.toContain(token);
  });

  it('a 1 MB prompt is redacted without catastrophic backtracking (the test timeout is the bound)', () => {
    const plain = 'x'.repeat(1_048_576);
    expect(redactSecrets(plain).text).toBe(plain);
    // One assignment whose value runs to the end of the line: the whole value goes.
    expect(redactSecrets('DB_PASSWORD='.repeat(80_000)).text).toBe('DB_PASSWORD=[REDACTED]');
    // 64 high-entropy-looking capitals a line: whatever the rules decide, the lines stay lines.
    expect(redactSecrets(`${'A'.repeat(64)}\n`.repeat(15_000)).text.split('\n')).toHaveLength(15_001);
  });
});

describe('secret paths (picomatch globs)', () => {
  it.each(ATTACH_CASES.filter((c) => !c.target).map((c) => [c.path, c.globs ?? []] as const))(
    '%s is withheld',
    (path, globs) => expect(isSecretPath(path, [...globs])).toBe(true),
  );
  it.each([
    'src/env.ts',
    'docs/environment.md',
    'config.json',
    'src/kube/config.ts',
    'infra/main.tf',
    'dumps/backup.sql',
  ])('%s is not', (path) => expect(isSecretPath(path, ['**/*.{hcl,tfvars}', 'dumps/backup[0-9].sql'])).toBe(false));
  it('braces and classes in [secrets].withhold_paths; a glob with a slash is matched against the whole path', () => {
    const match = secretPathMatcher(['**/*.{hcl,tfvars}', 'dumps/backup[0-9].sql', 'deploy/vault/**']);
    expect(match('infra/prod.tfvars')).toBe(true);
    expect(match('a/b/vault.hcl')).toBe(true);
    expect(match('dumps/backup7.sql')).toBe(true);
    expect(match('dumps/backup10.sql')).toBe(false);
    expect(match('deploy/vault/x/y.txt')).toBe(true);
    expect(match('other/deploy/vault/y.txt')).toBe(false);
  });
  it('a symlink is judged by its target too (file and folder links)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-links-'));
    writeFileSync(join(dir, '.env'), 'A=1\n');
    mkdirSync(join(dir, '.aws'));
    writeFileSync(join(dir, '.aws', 'config'), '[x]\n');
    symlinkSync('.env', join(dir, 'notes.txt'));
    symlinkSync('.aws', join(dir, 'awsdir'));
    writeFileSync(join(dir, 'plain.txt'), 'hi\n');
    const match = secretPathMatcher();
    expect(isSecretFile(match, dir, 'notes.txt')).toBe(true);
    expect(isSecretFile(match, dir, 'awsdir/config')).toBe(true);
    expect(isSecretFile(match, dir, 'plain.txt')).toBe(false);
  });
});

describe('diff text in a prompt (git diff | mm ask)', () => {
  it.each(STDIN_DIFF_CASES.map((c) => [c.id, c] as const))('%s: the section is withheld', (_id, c) => {
    const secret = canary(`unit-stdin:${c.id}`);
    const prompt = `Review this:\ndiff --git a/ok.ts b/ok.ts\n--- a/ok.ts\n+++ b/ok.ts\n@@ -1 +1 @@\n-a\n+b\n${c.section(secret)}`;
    const r = guardSecrets({ prompt, cwd: '.' }, secrets());
    expect(r.prompt).not.toContain(secret);
    expect(r.prompt).toContain('+b');
    expect(r.withheld.some((w) => w.startsWith('withheld diff of'))).toBe(true);
  });
});
