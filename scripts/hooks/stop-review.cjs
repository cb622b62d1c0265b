#!/usr/bin/env node
// Claude Code Stop hook from the pack: the same as `mm hook stop`, without needing `mm`
// on PATH. Reads the hook JSON on stdin; blocks the stop only with review findings;
// fails open (a visible notice, never a block) when the reviewer cannot run.
// CommonJS like dist/hook-stop.js: an ES module entry would start Node's ESM loader on every stop.
require('../../dist/hook-stop.js');
