import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as n}from"./chunk-53GFUZQP.mjs";n();var r=e=>Math.ceil(e/4),o=e=>e*4,s=e=>r(e.length);export{r as a,o as b,s as c};
