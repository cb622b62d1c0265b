#!/usr/bin/env node
// Kept for MCP client configs written before the entry became bin/mm.cjs (which starts
// faster: no ES module loader). New configs name bin/mm.cjs (`mm doctor` prints them).
import './mm.cjs';
