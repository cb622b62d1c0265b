/**
 * Node built-ins loaded on first use instead of at start-up. `mm check` and the Stop hook run
 * on Claude Code's hook path, where loading node:crypto or node:child_process costs several
 * milliseconds each, and most runs of the modules that use them never call them.
 */
import { createRequire } from 'node:module';

let load: NodeJS.Require | undefined;
const builtin = <T>(name: string): T => (load ??= createRequire(import.meta.url))(name) as T;

export const lazyCrypto = () => builtin<typeof import('node:crypto')>('node:crypto');
export const lazyChildProcess = () => builtin<typeof import('node:child_process')>('node:child_process');
export const lazyV8 = () => builtin<typeof import('node:v8')>('node:v8');
