import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as o}from"./chunk-NORHK75S.js";o();var e="IMPORTANT: Re-check your proposed fix against the actual repo state before finalizing \u2014 do not overfit to your initial hypothesis.";export{e as a};
