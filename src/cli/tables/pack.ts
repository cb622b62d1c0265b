/** Commands of the Claude Code pack: install it into a project, lint it. */
import type { CommandSpec } from '../spec.ts';

export const PACK_COMMANDS: CommandSpec[] = [
  {
    name: 'init',
    summary:
      "Copy the Claude Code pack (skills, agents, commands, config) into a project's .claude/ without overwriting your files",
    description:
      'Files that already exist and differ are kept and reported as skipped; CLAUDE.md gets the "Multi-Model Integration" section appended ' +
      'when it has none (merged). Identical files are left alone.',
    flags: [
      {
        name: 'target',
        type: 'string',
        value: 'DIR',
        description:
          'the project folder (default: the enclosing git work tree or .claude project, else the working directory)',
      },
      { name: 'dry-run', type: 'boolean', description: 'show what would be created, skipped or merged; write nothing' },
      { name: 'json', type: 'boolean', description: 'print the actions as JSON' },
    ],
    examples: ['mm init --dry-run', 'mm init --target ../my-app'],
    load: async () => (await import('../handlers/pack.ts')).runInit,
  },
  {
    name: 'lint',
    summary:
      'Lint a Claude Code pack: frontmatter, names, tools, links, referenced files, mm commands and flags, description budget',
    description:
      "Prints file:line: message for each problem and exits 1 on any. `npm run build` runs it on this package's own pack.",
    flags: [
      {
        name: 'root',
        type: 'string',
        value: 'DIR',
        description: 'the folder holding .claude/ (default: this package)',
      },
      { name: 'json', type: 'boolean', description: 'print problems and the budget as JSON' },
    ],
    examples: ['mm lint', 'mm lint --root . --json'],
    load: async () => (await import('../handlers/pack.ts')).runLint,
  },
];
