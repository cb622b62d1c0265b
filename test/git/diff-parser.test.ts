import { describe, expect, it } from 'vitest';
import {
  DiffParser,
  gitHeaderPaths,
  markerPath,
  pathsOf,
  splitDiffSections,
  unquoteGitPath,
  type DiffFileHeader,
} from '../../src/git/diff-parser.ts';
import { parseUnifiedDiff, SecurityScanner } from '../../src/git/change.ts';
import { parseHunks } from '../../src/git/hunks.ts';
import { splitDiffByFile } from '../../src/providers/chunking.ts';

const QUOTED = `diff --git "a/\\303\\274/.env" "b/\\303\\274/.env"
index 1111111..2222222 100644
--- "a/\\303\\274/.env"
+++ "b/\\303\\274/.env"
@@ -1 +1 @@
-A=1
+A=2
`;
const SPACED = `diff --git a/my keys/deploy.key b/my keys/deploy.key
index 1111111..2222222 100644
--- a/my keys/deploy.key\t
+++ b/my keys/deploy.key\t
@@ -1 +1 @@
-old
+new
`;
const PLAIN = `--- .netrc.orig\t2026-01-01 10:00:00.000000000 +0000
+++ .netrc\t2026-01-02 10:00:00.000000000 +0000
@@ -1 +1,2 @@
 machine example.com
+login me
`;
const RENAME = `diff --git a/.env b/config.txt
similarity index 90%
rename from .env
rename to config.txt
--- a/.env
+++ b/config.txt
@@ -1 +1 @@
-A=1
+A=2
`;

function files(text: string): DiffFileHeader[] {
  const out: DiffFileHeader[] = [];
  const p = new DiffParser({ file: (f) => out.push(f) });
  p.feed(text);
  p.finish();
  return out;
}

describe('unified diff parser (one for all consumers)', () => {
  it('unquotes git C-style paths: octal UTF-8 bytes, \\t, \\", \\\\', () => {
    expect(unquoteGitPath('"b/\\303\\274/.env"')).toBe('b/ü/.env');
    expect(unquoteGitPath('"a\\tb"')).toBe('a\tb');
    expect(unquoteGitPath('"we\\"ird\\\\x"')).toBe('we"ird\\x');
    expect(unquoteGitPath('plain')).toBe('plain');
  });

  it('reads ---/+++ names without the tab-separated timestamp or trailing tab, and /dev/null as none', () => {
    expect(markerPath('b/my keys/deploy.key\t')).toBe('my keys/deploy.key');
    expect(markerPath('.netrc\t2026-01-02 10:00:00 +0000')).toBe('.netrc');
    expect(markerPath('"b/\\303\\274/.env"')).toBe('ü/.env');
    expect(markerPath('/dev/null')).toBeNull();
  });

  it('splits `diff --git` headers with spaces and quotes', () => {
    expect(gitHeaderPaths('a/my dir/x y.ts b/my dir/x y.ts')).toEqual({
      oldPath: 'my dir/x y.ts',
      newPath: 'my dir/x y.ts',
    });
    expect(gitHeaderPaths('"a/tab\\there/.env" "b/tab\\there/.env"')).toEqual({
      oldPath: 'tab\there/.env',
      newPath: 'tab\there/.env',
    });
  });

  it('quoted, tab-terminated, plain diff -u and renamed sections all get their real paths', () => {
    const all = files(QUOTED + SPACED + PLAIN + RENAME);
    expect(all.map((f) => f.path)).toEqual(['ü/.env', 'my keys/deploy.key', '.netrc', 'config.txt']);
    expect(all[3]).toMatchObject({ status: 'renamed', oldPath: '.env', newPath: 'config.txt' });
    expect(pathsOf(all[3]!)).toEqual(['config.txt', '.env']);
  });

  it('a removed "-- x" line and an added "++ y" line inside a hunk are lines, not a file header', () => {
    const diff = `diff --git a/a.sql b/a.sql\n--- a/a.sql\n+++ b/a.sql\n@@ -1,2 +1,2 @@\n--- comment\n+++ other\n ctx\n`;
    const seen: string[] = [];
    const p = new DiffParser({ file: (f) => seen.push(`file ${f.path}`), line: (_f, k, t) => seen.push(`${k}${t}`) });
    p.feed(diff);
    p.finish();
    expect(seen).toEqual(['file a.sql', '--- comment', '+++ other', ' ctx']);
  });

  it('new, deleted and binary files get their status; the deleted side is the path', () => {
    const diff = `diff --git a/n.txt b/n.txt\nnew file mode 100644\n--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1 @@\n+x\ndiff --git a/d.txt b/d.txt\ndeleted file mode 100644\n--- a/d.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\ndiff --git a/b.png b/b.png\nBinary files a/b.png and b/b.png differ\n`;
    expect(files(diff).map((f) => [f.path, f.status])).toEqual([
      ['n.txt', 'added'],
      ['d.txt', 'deleted'],
      ['b.png', 'binary'],
    ]);
  });

  it('streams: the same result whatever the chunk boundaries', () => {
    const text = QUOTED + SPACED + RENAME;
    const out: string[] = [];
    const p = new DiffParser({ line: (f, k, t, n) => out.push(`${f.path}:${n}${k}${t}`) });
    for (let i = 0; i < text.length; i += 7) p.feed(text.slice(i, i + 7));
    p.finish();
    const whole: string[] = [];
    const q = new DiffParser({ line: (f, k, t, n) => whole.push(`${f.path}:${n}${k}${t}`) });
    q.feed(text);
    q.finish();
    expect(out).toEqual(whole);
    expect(out).toContain('ü/.env:1+A=2');
  });

  it('sections keep prose before the diff and start a plain diff at its --- line', () => {
    const sections = splitDiffSections(`Please review:\n${PLAIN}${QUOTED}`);
    expect(sections.map((s) => s.file?.path ?? null)).toEqual([null, '.netrc', 'ü/.env']);
    expect(sections[1]!.text.startsWith('--- .netrc.orig')).toBe(true);
    expect(sections[0]!.text).toBe('Please review:');
  });

  it('the three consumers agree on quoted and tab-terminated paths', () => {
    const text = QUOTED + SPACED;
    const expected = ['ü/.env', 'my keys/deploy.key'];
    expect(splitDiffByFile(text).map((f) => f.path)).toEqual(expected);
    expect(parseHunks(text).map((f) => f.path)).toEqual(expected);
    expect(parseUnifiedDiff(text, new SecurityScanner([])).list.map((f) => f.path)).toEqual(expected);
  });
});
