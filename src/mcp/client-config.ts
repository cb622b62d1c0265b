/**
 * How each MCP client starts `mm mcp`, as the snippet to paste into its config (printed by
 * `mm doctor`). Pure: the launch command comes in, so tests pin the text.
 */
export interface ClientSnippet {
  client: string;
  /** Where the snippet goes. */
  where: string;
  snippet: string;
}

/** `launch` is the argv that runs mm, e.g. ["mm"] or [node, "/path/bin/mm.cjs"]. */
export function mcpClientSnippets(launch: string[]): ClientSnippet[] {
  const [command, ...pre] = launch;
  const args = [...pre, 'mcp'];
  const json = JSON.stringify({ mcpServers: { mm: { command, args } } }, null, 2);
  const quoted = (s: string) => (/^[\w./:@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  return [
    {
      client: 'Claude Code',
      where: 'run once in the project (or put the JSON in .mcp.json)',
      snippet: `claude mcp add mm -- ${[command!, ...args].map(quoted).join(' ')}`,
    },
    { client: 'Cursor', where: '.cursor/mcp.json', snippet: json },
    {
      client: 'Codex CLI',
      where: '~/.codex/config.toml',
      snippet: `[mcp_servers.mm]\ncommand = ${JSON.stringify(command)}\nargs = ${JSON.stringify(args)}`,
    },
    { client: 'Gemini CLI', where: '.gemini/settings.json', snippet: json },
  ];
}
