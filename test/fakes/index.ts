/** Reusable fake model servers and stub CLIs for contract tests. */
export * from './server.ts';
export * from './codex-server.ts';
export * from './gemini-server.ts';
export * from './local-servers.ts';
export * from './anthropic-server.ts';
export * from './stub-cli.ts';
