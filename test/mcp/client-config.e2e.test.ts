/** `mm doctor` prints how Claude Code, Cursor, Codex CLI and Gemini CLI start `mm mcp`. */
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { mcpClientSnippets } from '../../src/mcp/client-config.ts';
import { mm } from '../helpers/mm.ts';
import { tempDir } from '../helpers/repo.ts';

describe('MCP client snippets', () => {
  it('one per client, each parseable in its own format', () => {
    const s = mcpClientSnippets(['/usr/bin/node', '/opt/my tools/mm.js']);
    expect(s.map((x) => x.client)).toEqual(['Claude Code', 'Cursor', 'Codex CLI', 'Gemini CLI']);
    expect(s[0]!.snippet).toBe("claude mcp add mm -- /usr/bin/node '/opt/my tools/mm.js' mcp");
    const server = { command: '/usr/bin/node', args: ['/opt/my tools/mm.js', 'mcp'] };
    expect(JSON.parse(s[1]!.snippet)).toEqual({ mcpServers: { mm: server } });
    expect(parseToml(s[2]!.snippet)).toEqual({ mcp_servers: { mm: server } });
    expect(JSON.parse(s[3]!.snippet)).toEqual({ mcpServers: { mm: server } });
  });

  it('mm doctor prints them, and --json carries them', () => {
    const dir = tempDir();
    // No vendor CLIs on PATH: nothing slow to probe.
    const env = { PATH: '/usr/bin:/bin' };
    const r = mm(['doctor'], { cwd: dir, env });
    expect(r.stdout).toContain('mm as an MCP server (`mm mcp`)');
    expect(r.stdout).toContain('Codex CLI — ~/.codex/config.toml');
    const json = mm(['doctor', '--json'], { cwd: dir, env }).json();
    expect(json.mcp.map((m: { client: string }) => m.client)).toContain('Gemini CLI');
  });
});
