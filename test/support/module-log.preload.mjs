// Preloaded into a connector process (node --import) by tests that check which files it loads: loader hooks append
// the URL of every file the process loads, ES module or CommonJS, to $FEP_MODULE_LOG. For tests, never for production.
import { register } from 'node:module';
import { URL } from 'node:url';

register(new URL('./module-log.hooks.mjs', import.meta.url), { data: process.env.FEP_MODULE_LOG });
