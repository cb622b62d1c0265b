import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { attachFiles, guardSecrets } from '../../src/secrets/guard.ts';
import { isSecretPath } from '../../src/secrets/paths.ts';

const secrets = (over: object = {}) => ({ ...configSchema.parse({}).secrets, ...over });

describe('secret paths', () => {
  it.each([
    '.env',
    '.env.local',
    'config/.env.production',
    'certs/server.pem',
    'tls.key',
    'id_rsa',
    'home/.ssh/id_ed25519.pub',
    'credentials',
    'config/secrets.yaml',
    'aws/credentials.json',
    'gcp-credentials.json',
    '.npmrc',
  ])('%s is withheld', (p) => {
    expect(isSecretPath(p)).toBe(true);
  });
  it.each(['src/env.ts', 'keyboard.ts', 'README.md', 'src/token-bucket.ts', 'docs/environment.md', 'src/secrets.ts'])(
    '%s is not',
    (p) => {
      expect(isSecretPath(p)).toBe(false);
    },
  );
  it('adds config globs', () => {
    expect(isSecretPath('deploy/vault/prod.hcl', ['deploy/vault/**'])).toBe(true);
    expect(isSecretPath('deploy/app.yaml', ['deploy/vault/**'])).toBe(false);
  });
});

describe('redaction', () => {
  it('redacts keys and tokens but keeps ordinary code', () => {
    const prompt =
      'const apiKey = process.env.OPENAI_API_KEY;\nGITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\nconst n = 42;';
    const r = guardSecrets({ prompt, cwd: '.' }, secrets());
    expect(r.prompt).toContain('process.env.OPENAI_API_KEY');
    expect(r.prompt).toContain('const n = 42;');
    expect(r.prompt).not.toContain('ghp_abc');
    expect(r.withheld).toEqual(['redacted 1 × GitHub token']);
  });

  it('redacts high-entropy assignments, not placeholders', () => {
    const r = guardSecrets(
      { prompt: 'SESSION_SECRET = "9fK2xQ7mLp0Zr4Tv"\nAPI_KEY=${API_KEY}\nDB_PASSWORD=changeme', cwd: '.' },
      secrets(),
    );
    expect(r.prompt).toContain('SESSION_SECRET = "[REDACTED]"');
    expect(r.prompt).toContain('API_KEY=${API_KEY}');
    expect(r.prompt).toContain('DB_PASSWORD=changeme');
  });

  it('redacts a quoted passphrase whole, spaces and all', () => {
    const r = guardSecrets(
      { prompt: 'DB_PASSWORD = "correct horse battery staple"\npassword: \'don"t tell anyone\'\nnext line', cwd: '.' },
      secrets(),
    );
    expect(r.prompt).toBe('DB_PASSWORD = "[REDACTED]"\npassword: \'[REDACTED]\'\nnext line');
  });

  it('applies config patterns', () => {
    const r = guardSecrets(
      { prompt: 'internal id ACME-1234-XYZ here', cwd: '.' },
      secrets({ patterns: ['ACME-\\d{4}-[A-Z]{3}'] }),
    );
    expect(r.prompt).toBe('internal id [REDACTED] here');
  });

  it('a config pattern that does not compile is a config error, and nothing is sent', () => {
    expect(() => guardSecrets({ prompt: 'p', cwd: '.' }, secrets({ patterns: ['ACME-(\\d+'] }))).toThrow(
      expect.objectContaining({ kind: 'config', message: expect.stringContaining('[secrets].patterns') }),
    );
  });

  it('refuses when configured to', () => {
    expect(() => guardSecrets({ prompt: 'AKIAIOSFODNN7EXAMPLQ', cwd: '.' }, secrets({ on_secret: 'refuse' }))).toThrow(
      /AWS access key/,
    );
  });
});

describe('attached files', () => {
  it('withholds a link to a secret file under its harmless name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-guard-link-'));
    writeFileSync(join(dir, '.env.production'), 'DATABASE_URL=postgres://admin:Sup3rS3cr3tDbPw@db/prod');
    symlinkSync('.env.production', join(dir, 'notes.txt'));
    const r = guardSecrets({ prompt: 'p', files: ['notes.txt'], cwd: dir }, secrets());
    expect(r.prompt).toBe('p');
    expect(r.withheld).toEqual(['withheld file notes.txt (secret path)']);
  });

  it('a file that cannot be read is an input error, for the guarded and the local path alike', () => {
    expect(() => guardSecrets({ prompt: 'p', files: ['no-such-file.ts'], cwd: '.' }, secrets())).toThrow(
      expect.objectContaining({ kind: 'input', message: expect.stringContaining('no-such-file.ts') }),
    );
    expect(() => attachFiles('p', ['no-such-file.ts'], '.')).toThrow(expect.objectContaining({ kind: 'input' }));
  });
});
