import { createRequire as __mmCreateRequire } from 'node:module'; const require = __mmCreateRequire(import.meta.url);
import{b as a}from"./chunk-CKHFZDH2.mjs";import{f as d}from"./chunk-53GFUZQP.mjs";d();var c=256*1024,m=2e3,E=/^(?:GIT_(?:DIR|WORK_TREE|INDEX_FILE|COMMON_DIR|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE|PREFIX|CEILING_DIRECTORIES|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+)|OLDPWD|PWD|INIT_CWD)$/;function l(e,s){let o={};for(let[n,t]of Object.entries(e))E.test(n)||(o[n]=t);return{...o,PWD:s,CI:e.CI??"1"}}async function p(e,s,o,n=process.env){let t=await a({command:"sh",args:["-c",e],cwd:s,env:l(n,s),timeoutMs:o,mergeStderr:!0,maxStdoutBytes:c,killGraceMs:m,sweepEscaped:!0}),r=t.spawnError?`${t.stdout}
cannot start sh: ${t.spawnError}
`:t.stdout;return{passed:!t.timedOut&&t.exitCode===0,exitCode:t.exitCode,timedOut:t.timedOut,durationMs:t.durationMs,output:r}}function f(e,s,o=20){let n=e.output.trimEnd().split(`
`).slice(-o).join(`
`),t=e.timedOut?`timed out after ${Math.round(s/1e3)} s`:`exit code ${e.exitCode??"none (killed)"}`;return n?`${t}
${n}`:t}var O=/no test files found|no tests found|collected 0 items|no tests ran|(?:^|\s)0 passing\b|^# tests 0$/im;function I(e){return!e.passed&&!e.timedOut&&O.test(e.output)}async function R(e,s,o,n,t){let r=[];for(let u of e){t?.(u);let i=await p(u,s,o,n);r.push({command:u,passed:i.passed,exitCode:i.exitCode,timedOut:i.timedOut,outputTail:i.output.split(`
`).slice(-20).join(`
`)})}return r}export{p as a,f as b,I as c,R as d};
