import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{f as t}from"./chunk-53GFUZQP.mjs";t();t();var r=["ok","unavailable","timeout","rate_limited","truncated","invalid_output","auth","model_not_found","failed"];var s={input:0,output:0,reasoning:0,cached:0};export{r as a,s as b};
