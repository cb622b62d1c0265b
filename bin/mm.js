#!/usr/bin/env node
import '../dist/mm.js';
