import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as o}from"./chunk-53GFUZQP.mjs";o();
