import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-G6VH4UBL.mjs";import"./chunk-53GFUZQP.mjs";export{a as child_process,b as crypto,c as fs,d as os,e as path,f as stream,g as util};
