#!/usr/bin/env node
// Claude Code Stop hook from the pack: the same as `mm hook stop`, without needing `mm`
// on PATH. Reads the hook JSON on stdin; blocks the stop only with review findings;
// fails open (a visible notice, never a block) when the reviewer cannot run.
process.argv.splice(2, process.argv.length - 2, 'hook', 'stop', ...process.argv.slice(2));
await import('../../dist/mm.js');
