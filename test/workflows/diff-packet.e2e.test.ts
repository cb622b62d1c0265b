import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { buildRegistry } from '../../src/registry/registry.ts';
import { buildReviewPacket } from '../../src/workflows/review/diff-packet.ts';
import { tempRepo, type TempRepo } from '../helpers/repo.ts';
import { canary, privateKey } from '../security/corpus.ts';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

const config = (over: object = {}) => configSchema.parse(over);
const reviewers = [{ provider: 'gemini' as const, model: 'gemini-3-flash', why: 'test' }];

describe('buildReviewPacket (the one packet for mm review diff and the Stop hook)', () => {
  it('withholds secret paths in every change state and a link to one; keeps ordinary files', async () => {
    repo = tempRepo();
    repo.write('.env.local', 'NOTE=marker1\n');
    repo.write('ops/tls.pem', 'marker2\n');
    repo.commitAll('base');
    repo.git('rm', '-q', '.env.local');
    repo.write('ops/tls.pem', 'marker3\n');
    repo.write('.env', 'NOTE=marker4\n');
    symlinkSync('.env', join(repo.dir, 'notes.txt'));
    repo.write('src/a.ts', 'export const a = 1;\n');
    const c = config();
    const r = await buildReviewPacket({
      cwd: repo.dir,
      scope: { kind: 'head' },
      config: c,
      registry: buildRegistry(c),
      reviewers,
    });
    const text = r.packet.chunks.map((ch) => ch.text).join('\n');
    expect(text).toContain('export const a = 1;');
    expect(text).not.toMatch(/marker\d/);
    expect(r.withheld).toEqual(
      expect.arrayContaining([
        'withheld deleted file .env.local (secret path)',
        'withheld modified file ops/tls.pem (secret path)',
        'withheld untracked file .env (secret path)',
        'withheld untracked file notes.txt (secret path)',
      ]),
    );
  });

  it('a private key across two chunks is redacted whole, before the split, and line numbers stay true', async () => {
    repo = tempRepo();
    const secret = canary('packet split');
    const filler = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `line ${from + i}: nothing to see`);
    const key = privateKey(secret, 24).split('\n');
    repo.write('docs/notes.txt', [...filler(190), ...key, ...filler(40, 1000)].join('\n') + '\n');
    const c = config({ models: { gemini: { chunking_threshold: 300 } } });
    const r = await buildReviewPacket({
      cwd: repo.dir,
      scope: { kind: 'head' },
      config: c,
      registry: buildRegistry(c),
      reviewers,
    });
    expect(r.packet.chunks.length).toBeGreaterThan(1);
    for (const ch of r.packet.chunks) expect(ch.text).not.toContain(secret.slice(0, 16));
    const all = r.packet.chunks.map((ch) => ch.text).join('\n');
    expect(all).toContain(`${190 + key.length + 1}+line 1000: nothing to see`);
    expect(r.withheld).toContain('redacted 1 × private key');
  });
});
