// Preloaded into a connector process (node --import) by tests that check which files it loads: loader hooks append
// the URL of every file the process loads, ES module or CommonJS, to $FEP_MODULE_LOG. It also appends `intl:<name>`
// the first time the main thread builds an Intl formatter of that kind (which maps Node's ICU data into memory). For
// tests, never for production.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { URL } from 'node:url';

const out = process.env.FEP_MODULE_LOG;
register(new URL('./module-log.hooks.mjs', import.meta.url), { data: out });

if (out) {
  for (const name of ['DateTimeFormat', 'NumberFormat', 'Collator', 'PluralRules', 'RelativeTimeFormat', 'ListFormat', 'Segmenter']) {
    const Real = Intl[name];
    let logged = false;
    const Logged = function (...args) {
      if (!logged) appendFileSync(out, `intl:${name}\n`);
      logged = true;
      return new Real(...args);
    };
    Logged.prototype = Real.prototype;
    Logged.supportedLocalesOf = Real.supportedLocalesOf.bind(Real);
    Intl[name] = Logged;
  }
}
