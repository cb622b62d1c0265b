import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{a as r}from"./chunk-LYSTB7FP.js";import{f as o}from"./chunk-NZ422GQC.js";o();import{existsSync as e}from"node:fs";import{join as n}from"node:path";var m=t=>n(t,".claude","mm");function p(t){let i=n(m(t),".gitignore");e(i)||r(i,`*
`)}export{m as a,p as b};
