import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{a as n,b as m}from"./chunk-EKJJX2U3.mjs";import{f as t}from"./chunk-53GFUZQP.mjs";t();import{existsSync as u,mkdirSync as o}from"node:fs";import{join as i}from"node:path";var s=r=>i(r,".claude","mm");function a(r){let e=i(s(r),".gitignore");u(e)||(o(i(r,".claude"),{recursive:!0}),o(s(r),{recursive:!0,mode:n.dirMode}),m(e,`*
`))}export{s as a,a as b};
