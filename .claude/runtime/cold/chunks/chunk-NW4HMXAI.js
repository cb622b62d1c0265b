import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as t}from"./chunk-5RAOHTMY.js";t();var n=e=>Math.ceil(e/4),r=e=>n(e.length);export{n as a,r as b};
