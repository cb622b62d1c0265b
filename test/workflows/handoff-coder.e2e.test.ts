import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCoderReply, writeTextAnswer } from '../../src/workflows/handoff/coder.ts';
import { verificationCommand } from '../../src/workflows/handoff/run.ts';
import { tempRepo } from '../helpers/repo.ts';

describe("the coder's reply", () => {
  it('reads the closing JSON object: bare, fenced, or after the code', () => {
    const json = '{"summary": "done", "blockers": ["which port?"], "deviations": [], "deleted": ["old.txt"]}';
    expect(parseCoderReply(json)).toEqual({
      summary: 'done',
      blockers: ['which port?'],
      deviations: [],
      deleted: ['old.txt'],
    });
    expect(parseCoderReply(`Work done.\n\n\`\`\`json\n${json}\n\`\`\``).blockers).toEqual(['which port?']);
    expect(parseCoderReply(`\`\`\`ts path=a.ts\nx\n\`\`\`\n${json}`).summary).toBe('done');
  });

  it('without one, the prose (code blocks removed) is the summary and nothing is invented', () => {
    expect(parseCoderReply('I changed a.ts.\n```ts\ncode\n```')).toEqual({
      summary: 'I changed a.ts.',
      blockers: [],
      deviations: [],
      deleted: [],
    });
    expect(parseCoderReply('').summary).toBe('(the coder gave no summary)');
  });
});

describe("a text coder's answer in the checkout", () => {
  it('writes named files, refuses paths that leave the checkout, and says when there is no code', async () => {
    const repo = tempRepo();
    const notes = await writeTextAnswer(repo.dir, '```ts path=src/a.ts\nexport const a = 1;\n```\n', [
      '../outside.txt',
    ]);
    expect(readFileSync(join(repo.dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(notes).toEqual(['refused to delete ../outside.txt: outside the project']);
    expect(await writeTextAnswer(repo.dir, 'no code here', [])).toEqual([
      "no code in the coder's answer: no unified diff and no code block naming its file path",
    ]);
    const escaped = await writeTextAnswer(repo.dir, '```ts path=../evil.ts\nx\n```\n', []);
    expect(escaped[0]).toContain('refused paths outside the project');
    expect(existsSync(join(repo.dir, '..', 'evil.ts'))).toBe(false);
  });
});

describe("the spec's verification command", () => {
  it('is the first non-empty fenced block of its section, or null', () => {
    expect(verificationCommand('# Code Spec — x\n\n## Verification Command\n\n```bash\nnpm test\n```\n')).toBe(
      'npm test',
    );
    expect(verificationCommand('# Code Spec — x\n\n## Objective\n\nnothing\n')).toBeNull();
  });
});
