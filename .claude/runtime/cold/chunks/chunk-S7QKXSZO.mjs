import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{a as o}from"./chunk-2CXOFS6I.mjs";import{f as e}from"./chunk-53GFUZQP.mjs";e();var t=`IMPORTANT: Re-check your proposed fix against the actual repo state before finalizing \u2014 do not overfit to your initial hypothesis.
`;var l=o(t);export{l as a};
