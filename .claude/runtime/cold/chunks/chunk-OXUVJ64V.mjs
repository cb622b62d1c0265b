import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{a as o}from"./chunk-2CXOFS6I.mjs";import{f as e}from"./chunk-53GFUZQP.mjs";e();var t=`{{prompt}}

Reply with ONLY a JSON value (no prose, no code fence) matching this JSON Schema:
{{schema}}
`;var i=`{{prompt}}

Reply with ONLY a JSON value (no prose, no code fence) that matches this JSON Schema:
{{schema}}
`;var n=`{{prompt}}

Reply with ONLY a JSON value matching this JSON Schema:
{{schema}}
`;var s={claude:t,gemini:i,local:n};function u(m,a,r){return o(s[r],{prompt:m,schema:JSON.stringify(a)})}export{u as a};
