import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { formatProblems, lintPack } from '../../src/lint/lint.ts';
import { findMmInvocations, scanMarkdown } from '../../src/lint/markdown.ts';
import { mm } from '../helpers/mm.ts';
import { tempDir } from '../helpers/repo.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const SKILL = `---
name: demo
description: Use when a demo is needed.
allowed-tools: Bash(mm:*)
---

# Demo

Run \`mm route --task "x" --json\`, read [the guide](guide.md).
`;

/** A small valid pack; each test breaks one thing. */
function fixture(files: Record<string, string> = {}): string {
  const root = tempDir('mm-lint-');
  dirs.push(root);
  const all: Record<string, string> = {
    '.claude/skills/demo/SKILL.md': SKILL,
    '.claude/skills/demo/guide.md': '# Guide\n\n## Details\n\nSee `mm check --base main`.\n',
    '.claude/agents/demo-agent.md':
      '---\nname: demo-agent\ndescription: Use when demoing.\ntools: Read, Grep\n---\n\nDo it.\n',
    '.claude/commands/demo-cmd.md':
      '---\ndescription: A demo command\nallowed-tools: Bash(git status:*), Bash(mm check:*)\n---\n\nRun `mm check`.\n',
    ...files,
  };
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const messages = (root: string) => formatProblems(lintPack(root, { commands: COMMANDS }).problems);

describe('lintPack', () => {
  it('passes the pack in this repository, within the description budget', () => {
    const result = lintPack(REPO, { commands: COMMANDS });
    expect(formatProblems(result.problems)).toBe('');
    expect(result.budget.tokens).toBeGreaterThan(0);
    expect(result.budget.tokens).toBeLessThanOrEqual(1500);
    expect(result.budget.items.map((i) => i.name)).toEqual(
      expect.arrayContaining(['multi-model', 'codex', 'gemini-orchestrator', 'dual-model']),
    );
  });

  it('passes a valid fixture', () => {
    expect(messages(fixture())).toBe('');
  });

  it('reports frontmatter that is not valid YAML, with its line', () => {
    const root = fixture({ '.claude/skills/demo/SKILL.md': '---\nname: demo\ndescription: [unclosed\n---\nbody\n' });
    expect(messages(root)).toMatch(/^\.claude\/skills\/demo\/SKILL\.md:3:\d+: frontmatter is not valid YAML/m);
  });

  it('reports a missing frontmatter block', () => {
    expect(messages(fixture({ '.claude/commands/demo-cmd.md': 'Just text\n' }))).toContain(
      '.claude/commands/demo-cmd.md:1: missing YAML frontmatter',
    );
  });

  it('reports names that break the Agent Skills rules or differ from the folder', () => {
    const bad = SKILL.replace('name: demo', 'name: Demo_Skill');
    const out = messages(fixture({ '.claude/skills/demo/SKILL.md': bad }));
    expect(out).toContain('.claude/skills/demo/SKILL.md:2:7: skill frontmatter: name: name must be lower-case');
    expect(out).toContain(
      '.claude/skills/demo/SKILL.md:2:7: skill name "Demo_Skill" must equal its folder name "demo"',
    );
  });

  it('reports unknown keys, summary descriptions and an over-long description', () => {
    const out = messages(
      fixture({
        '.claude/skills/demo/SKILL.md': SKILL.replace(
          'description: Use when a demo is needed.',
          `description: ${'x'.repeat(1100)}\nalowed-tools: Read`,
        ),
      }),
    );
    expect(out).toContain(
      '.claude/skills/demo/SKILL.md:3:14: skill frontmatter: description: description is longer than 1024 characters',
    );
    expect(out).toContain('.claude/skills/demo/SKILL.md:4:1: skill frontmatter: unknown key "alowed-tools"');
    expect(out).toContain('must start with "Use when');
  });

  it('reports unscoped Bash and writing commands that the model may invoke', () => {
    const out = messages(
      fixture({
        '.claude/agents/demo-agent.md':
          '---\nname: demo-agent\ndescription: Use when demoing.\ntools: Read, Bash\n---\nx\n',
        '.claude/commands/demo-cmd.md': '---\ndescription: Writes things\nallowed-tools: Read, Write\n---\nx\n',
      }),
    );
    expect(out).toContain('.claude/agents/demo-agent.md:4:8: tools: unscoped Bash');
    expect(out).toContain(
      '.claude/commands/demo-cmd.md:3:16: command grants file-writing tools: set disable-model-invocation: true',
    );
  });

  it('reports mm permissions that do not match what the body runs, in every launcher form it names', () => {
    const root = fixture({
      '.claude/commands/demo-cmd.md':
        '---\ndescription: A demo command\nallowed-tools: Bash(mm check:*), Bash(mm usage:*), Bash(.claude/scripts/mm:*)\n---\n\nRun `mm check` or `mm review diff`; `mm` is `${CLAUDE_PLUGIN_ROOT}/scripts/mm`.\n',
      '.claude/agents/demo-agent.md':
        '---\nname: demo-agent\ndescription: Use when demoing.\ntools: Read, Bash(mm:*), Bash(other/mm:*)\n---\n\nDo it.\n',
    });
    const out = messages(root);
    expect(out).toContain(
      '.claude/commands/demo-cmd.md:3:16: allowed-tools: does not allow "mm review" that the body runs: add Bash(mm:*)',
    );
    expect(out).toContain(
      'allowed-tools: does not allow "${CLAUDE_PLUGIN_ROOT}/scripts/mm check", "${CLAUDE_PLUGIN_ROOT}/scripts/mm review"',
    );
    expect(out).toContain('allowed-tools: "Bash(mm usage:*)" allows "mm usage", which the body never runs');
    expect(out).toContain('allowed-tools: "Bash(.claude/scripts/mm:*)" allows a launcher the body never names');
    expect(out).toContain(
      '.claude/agents/demo-agent.md:4:8: tools: "Bash(other/mm:*)" is not a launcher form the pack uses',
    );
    expect(out).toContain('tools: "Bash(mm:*)" allows mm, but the body runs no mm command');
  });

  it('reports a dead link and a dead anchor with their lines', () => {
    const root = fixture({
      '.claude/skills/demo/SKILL.md': `${SKILL}\nSee [gone](missing.md) and [anchor](guide.md#nope) and [ok](guide.md#details).\n`,
    });
    const out = messages(root);
    expect(out).toContain('.claude/skills/demo/SKILL.md:11: dead link: missing.md (no such file)');
    expect(out).toContain('.claude/skills/demo/SKILL.md:11: dead link: guide.md#nope (no heading "#nope")');
    expect(out).not.toContain('guide.md#details');
  });

  it('reports referenced files and scripts that do not exist', () => {
    const root = fixture({
      '.claude/skills/demo/guide.md':
        '# Guide\n\nRun `${CLAUDE_SKILL_DIR}/../../scripts/mm check` or `.claude/specs/nothing.md`.\n',
    });
    const out = messages(root);
    expect(out).toContain(
      '.claude/skills/demo/guide.md:3: referenced file does not exist: ${CLAUDE_SKILL_DIR}/../../scripts/mm',
    );
    expect(out).toContain('.claude/skills/demo/guide.md:3: referenced file does not exist: .claude/specs/nothing.md');
  });

  it('reports an unknown mm flag and an unknown mm command, in spans and code blocks', () => {
    const root = fixture({
      '.claude/skills/demo/guide.md':
        '# Guide\n\n`mm route --task x --turbo`\n\n```bash\nmm check \\\n  --base main --everything\nmm summon demons --file p.md\n```\n',
    });
    const out = messages(root);
    expect(out).toContain(
      '.claude/skills/demo/guide.md:3: `mm route --task x --turbo`: unknown flag --turbo for "mm route"',
    );
    expect(out).toContain(
      '.claude/skills/demo/guide.md:6: `mm check --base main --everything`: unknown flag --everything for "mm check"',
    );
    expect(out).toContain(
      '.claude/skills/demo/guide.md:8: `mm summon demons --file p.md`: unknown mm command "summon demons"',
    );
  });

  it('reports $ARGUMENTS without an argument-hint', () => {
    const out = messages(
      fixture({ '.claude/commands/demo-cmd.md': '---\ndescription: Demo\n---\n\nDo $ARGUMENTS.\n' }),
    );
    expect(out).toContain('.claude/commands/demo-cmd.md:1: command uses $ARGUMENTS but has no argument-hint');
  });

  it('reports a link to PENDING.md', () => {
    const root = fixture({
      '.claude/PENDING.md': '# Pending\n',
      '.claude/skills/demo/guide.md': '# Guide\n\nSee [todo](../../PENDING.md).\n',
    });
    expect(messages(root)).toContain(
      ".claude/skills/demo/guide.md:3: links to ../../PENDING.md: it is a maintainers' TODO list",
    );
  });

  it('exempts PENDING.md from the mm command check', () => {
    expect(
      messages(
        fixture({ '.claude/PENDING.md': '# Pending\n\n`mm review plan --file x` → `.claude/hooks/hooks.json`\n' }),
      ),
    ).toBe('');
  });

  it('fails when the always-loaded descriptions exceed the budget', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) {
      files[`.claude/skills/s${i}/SKILL.md`] =
        `---\nname: s${i}\ndescription: Use when ${'the user asks about a very specific thing '.repeat(24)}\n---\nbody\n`;
    }
    const result = lintPack(fixture(files), { commands: COMMANDS });
    expect(result.budget.tokens).toBeGreaterThan(1500);
    expect(formatProblems(result.problems)).toMatch(
      /^\.claude:1: description budget exceeded: \d+ tokens of always-loaded descriptions > 1500/m,
    );
  });

  it('checks the config copy against the template', () => {
    const root = fixture({
      'templates/multi-model.toml': 'a = 1\nb = 2\n',
      '.claude/config/multi-model.toml': 'a = 1\nb = 3\n',
    });
    expect(messages(root)).toContain('.claude/config/multi-model.toml:2: differs from templates/multi-model.toml');
  });

  it('checks that plugin.json lists every agent', () => {
    const root = fixture({
      '.claude/.claude-plugin/plugin.json': JSON.stringify({ name: 'x', agents: ['./agents/gone.md'] }),
    });
    const out = messages(root);
    expect(out).toContain('plugin.json lists a missing agent: .claude/agents/gone.md');
    expect(out).toContain('plugin.json "agents" does not list .claude/agents/demo-agent.md');
  });
});

describe('markdown scanning', () => {
  it('finds mm invocations through the launcher and stops at shell separators', () => {
    const [seg] = scanMarkdown('`${CLAUDE_SKILL_DIR}/../../scripts/mm route --category image | jq . --nope`').code;
    const inv = findMmInvocations(seg!);
    expect(inv).toEqual([{ line: 1, words: ['route'], flags: ['category'], text: 'mm route --category image' }]);
  });

  it('ignores links inside code', () => {
    expect(scanMarkdown('`[x](nope.md)` and [y](yes.md)').links.map((l) => l.text)).toEqual(['yes.md']);
  });
});

describe('mm lint (built CLI)', () => {
  it('prints file:line: message and exits 1 on a broken pack', () => {
    const root = fixture({ '.claude/skills/demo/guide.md': '# Guide\n\n`mm check --nope`\n' });
    const r = mm(['lint', '--root', root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('.claude/skills/demo/guide.md:3: `mm check --nope`: unknown flag --nope for "mm check"');
    expect(r.stdout).toMatch(/description budget \d+\/1500 tokens/);
  });

  it('exits 0 on this repository', () => {
    const r = mm(['lint']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
