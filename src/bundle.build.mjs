// `npm run build`'s last step: joins the compiled connector (dist/connector.main.js and what it imports) with the
// ES-module packages it loads at boot (@nestjs/*, es-toolkit, jose, js-yaml) into one file,
// dist/connector.bundle.js, which dist/main.js starts when it is there. Why: a boot loads well over a thousand ES
// modules (this step prints how many it joins) and, on Node 20, resolving, reading and compiling them one by one is
// most of a restart (`node --cpu-prof dist/main.js`); one file is read and compiled once (`npm run bench`, IDS
// exchange: the restart time of both).
//
// What stays outside, loaded from node_modules as before: every CommonJS package (typeorm, sqlite3, express,
// class-validator, node-forge…), native modules, and the worker files (piscina starts them by URL; they are
// separate threads). So each package still has exactly one instance, which Nest's, TypeORM's and
// class-validator's metadata registries rely on. Two rules keep that true:
// - each bundled file keeps its own `import.meta.url` (rewritten to its original path), so worker URLs, asset paths
//   and `createRequire` resolve as they do unbundled;
// - a bundled file that loads a bundled package at run time through `createRequire` (which the bundler cannot see,
//   and which would load a second copy from node_modules) is given the bundled copy instead, and the build fails if
//   such a call is left in the output.
// Plain Node and esbuild only; usage: node src/bundle.build.mjs [dist folder].
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = resolve(root, process.argv[2] ?? 'dist');
const entry = join(dist, 'connector.main.js');
const outfile = join(dist, 'connector.bundle.js');
/** ES-module packages: one file per module, hundreds of them (es-toolkit/compat's index imports one file per function). */
const BUNDLED = /^(@nestjs\/[^/]+|es-toolkit|jose|js-yaml)$/;

const REQUIRE_CALL = /\brequire\d*\(\s*(["'])([^"']+)\1\s*\)/g;

/**
 * Nest's two logger modules each build an `Intl.DateTimeFormat` when they load, whether or not a line is ever written
 * through them: that maps Node's ICU data into the process, several MiB of resident memory (an idle connector's RSS,
 * `npm run bench`, IDS exchange). The connector writes JSON lines through pino unless it runs on a terminal, so in the
 * bundle each formatter is built on its first use instead. A Nest version that no longer has the line is reported,
 * not failed: the bundle then simply keeps Nest's code.
 */
const NEST_LOGGERS = /@nestjs\/common\/services\/(console-)?logger\.service\.js$/;
const EAGER_FORMATTER = 'const dateTimeFormatter = new Intl.DateTimeFormat(';
const LAZY_FORMATTER =
  'const dateTimeFormatter = ((...options) => { let formatter; return { format: (date) => (formatter ??= new Intl.DateTimeFormat(...options)).format(date) }; })(';

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

const keepPackages = {
  name: 'fep-bundle',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      const pkg = packageOf(args.path);
      // Optional Nest packages that are not installed (@nestjs/microservices…) stay imports: Nest loads them only
      // when asked to, and says so then.
      const bundle = BUNDLED.test(pkg) && existsSync(join(root, 'node_modules', pkg));
      return bundle ? undefined : { path: args.path, external: true };
    });
    builder.onLoad({ filter: /\.m?js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      if (NEST_LOGGERS.test(args.path)) {
        if (source.includes(EAGER_FORMATTER)) source = source.replace(EAGER_FORMATTER, LAZY_FORMATTER);
        else console.error(`bundle: ${relative(root, args.path)} no longer builds its date formatter as expected; left as it is`);
      }
      const here = JSON.stringify(relative(dirname(outfile), args.path).split('\\').join('/'));
      // A run-time `require('<bundled package>')` (through createRequire, which the bundler cannot follow:
      // @nestjs/terminus does it for @nestjs/swagger) gets the bundled copy, as a namespace import.
      const imports = [];
      const contents = source
        .replace(REQUIRE_CALL, (call, quote, specifier) => {
          if (!BUNDLED.test(packageOf(specifier))) return call;
          imports.push(`import * as __bundled${imports.length} from ${JSON.stringify(specifier)};`);
          return `__bundled${imports.length - 1}`;
        })
        .replaceAll('import.meta.url', `new URL(${here}, import.meta.url).href`);
      return { contents: imports.length === 0 ? contents : `${imports.join('\n')}\n${contents}`, loader: 'js' };
    });
  },
};

if (!existsSync(entry)) {
  console.error(`bundle: ${entry} does not exist (run nest build first)`);
  process.exit(1);
}
// The previous build's bundle and chunks (their names change with their contents).
for (const name of readdirSync(dist)) if (name.startsWith('connector.bundle')) rmSync(join(dist, name));
const started = performance.now();
const result = await build({
  entryPoints: { 'connector.bundle': entry },
  outdir: dist,
  // What the connector imports only when it needs it (node-forge for a keystore, the ONNX graph builder for a user's
  // model) goes in chunks of its own, loaded only then, as without the bundle. The chunks sit beside the bundle, so
  // the rewritten `import.meta.url`s hold for them too.
  splitting: true,
  chunkNames: 'connector.bundle-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Class and function names stay (Nest's tokens, log contexts and error names are class names).
  keepNames: true,
  // V8 keeps the source text of every loaded script for as long as its functions live (lazy compilation,
  // `toString`): without the whitespace and with shorter syntax the bundle's text takes less of the heap (this step
  // prints its size). Names are kept, and the linked source map (`node --enable-source-maps`) gives stack traces
  // their original lines.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  plugins: [keepPackages],
  metafile: true,
  logLevel: 'error',
});
const outputs = Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js'));
let bytes = 0;
const twice = new Set();
for (const file of outputs) {
  const output = await readFile(resolve(root, file), 'utf8');
  bytes += output.length;
  for (const m of output.matchAll(REQUIRE_CALL)) if (BUNDLED.test(packageOf(m[2]))) twice.add(m[2]);
}
if (twice.size > 0) {
  console.error(`bundle: bundled packages loaded again at run time by require(): ${[...twice].join(', ')}`);
  process.exit(1);
}
const inputs = Object.keys(result.metafile.inputs).length;
console.error(
  `bundle: ${relative(root, outfile)} and ${outputs.length - 1} chunks from ${inputs} modules (${Math.round(bytes / 1024)} KiB) in ${Math.round(performance.now() - started)} ms`,
);
