#!/usr/bin/env node
// CommonJS like the bundle it loads: an ES module here would start Node's ESM loader (~10 ms
// on every call, and `mm` runs on Claude Code's hook path).
require('../dist/mm.js');
