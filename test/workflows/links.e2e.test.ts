/**
 * `--link node_modules` for develop run and pipeline: the user's untracked dependencies
 * reach the scratch clone where [develop] verify runs, and never a patch.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLinks, linkIgnored } from '../../src/git/links.ts';
import { checkCandidate } from '../../src/workflows/pipeline/candidates.ts';
import { testConfig } from '../helpers/fake-invoke.ts';
import { mm } from '../helpers/mm.ts';
import { tempDir, tempRepo, type TempRepo } from '../helpers/repo.ts';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

/** A project whose test reads a dependency that lives only in the ignored node_modules. */
function projectWithDependency(): TempRepo {
  const r = tempRepo();
  r.write('.gitignore', 'node_modules/\n');
  r.write(
    'test.js',
    "const dep = require('./node_modules/dep');\nprocess.exit(dep.ok(require('./value.js')) ? 0 : 1);\n",
  );
  r.write('value.js', 'module.exports = 1;\n');
  r.commitAll('project');
  r.write('node_modules/dep/index.js', 'exports.ok = (v) => v === 2;\n');
  return r;
}

const ANSWER = 'Here is the change.\n\n```js\n// file: value.js\nmodule.exports = 2;\n```\n';

describe('--link', () => {
  it('refuses a path that is missing or outside the repository, naming the flag', () => {
    repo = tempRepo();
    expect(() => checkLinks(['node_modules'], repo.dir)).toThrow(
      '--link node_modules: no such path inside the repository',
    );
    expect(() => checkLinks(['../elsewhere'], repo.dir)).toThrow('--link ../elsewhere');
    expect(() => checkLinks(['.'], repo.dir)).toThrow('--link .');
  });

  it('links into a clone and keeps the link out of `git add -A`', () => {
    repo = projectWithDependency();
    const clone = tempDir('mm-clone-');
    repo.git('clone', '-q', repo.dir, clone);
    linkIgnored(['node_modules'], repo.dir, clone);
    expect(lstatSync(join(clone, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(clone, 'node_modules', 'dep', 'index.js'), 'utf8')).toContain('exports.ok');
    const status = repo.git('-C', clone, 'status', '--porcelain', '--untracked-files=all');
    expect(status).toBe('');
  });

  it("a pipeline candidate's verification sees the linked dependency; the patch holds only the model's change", async () => {
    repo = projectWithDependency();
    const { config } = testConfig();
    config.develop.verify = ['node test.js'];
    const without = await checkCandidate('implementer', ANSWER, repo.dir, config, process.env);
    expect(without.verification[0]!.passed).toBe(false); // no node_modules in the clone

    const linked = await checkCandidate('implementer', ANSWER, repo.dir, config, process.env, ['node_modules']);
    expect(linked.verification[0]!.passed).toBe(true);
    expect(linked.files).toEqual(['value.js']);
    expect(linked.patch).not.toContain('node_modules');
    // The user's tree is only read.
    expect(readFileSync(join(repo.dir, 'value.js'), 'utf8')).toBe('module.exports = 1;\n');
  });

  it.each(['develop run', 'pipeline'])(
    'mm %s refuses a wrong --link before any model call (exit 2), nothing stored',
    (command) => {
      repo = tempRepo();
      const r = mm([...command.split(' '), '--task', 'add a flag', '--link', 'node_modules', '--yes'], {
        cwd: repo.dir,
      });
      expect(r.stderr).toContain('--link node_modules: no such path inside the repository');
      expect(r.code).toBe(2);
      expect(existsSync(join(repo.dir, '.claude', 'mm', 'runs'))).toBe(false);
    },
  );
});
