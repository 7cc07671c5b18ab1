// `npm start`'s prestart: builds dist/ only when a source or build setting is newer than the last build, so a
// second start is up in seconds instead of after a 30 s `nest build`. Plain Node (it runs before anything is built).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

/** Newest modification time (ms) of the files a build reads. */
function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), info.mtimeMs);
}

const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package-lock.json'].map((p) => join(root, p));
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = inputs.filter(existsSync).some((p) => newest(p) > built);
if (changed) {
  console.error(built === 0 ? 'building dist/ (first start)…' : 'sources changed: rebuilding dist/…');
  const result = spawnSync(process.execPath, [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // The same last step as `npm run build`: the boot's ES modules joined into dist/connector.bundle.js.
  const bundled = spawnSync(process.execPath, [join(root, 'src', 'bundle.build.mjs')], { cwd: root, stdio: 'inherit' });
  if (bundled.status !== 0) process.exit(bundled.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
