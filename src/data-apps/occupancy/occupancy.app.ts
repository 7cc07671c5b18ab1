import { Injectable } from '@nestjs/common';
import { access, constants } from 'node:fs/promises';
import { staticResource } from '../../common/project-root.js';
import {
  DataAppPlugin,
  type ConfigProblem,
  type DemoContext,
  type DataApp,
  type DataAppContext,
  type DataAppOutput,
  type DataAppRun,
  type ParsedConfig,
  type VerifyTools,
} from '../data-app.contract.js';
import { ffmpegAvailable } from './camera/rtsp.source.js';
import type { DetectionResult, DetectionTask } from './detection.worker.js';
import { OccupancyRun } from './occupancy.run.js';
import {
  parseOccupancyConfig,
  REDACTED,
  redactOccupancyConfig,
  restoreOccupancySecrets,
  type OccupancyConfig,
} from './occupancy-config.parser.js';
import { FakeCamera } from './simulator/fake-camera.server.js';
import { demoFrames, DEMO_PHOTO } from './simulator/demo-frames.js';

/** The detector `npm ci` installs (Ultralytics YOLOv8n, AGPL-3.0 weights; see the README). */
export const DEFAULT_MODEL = staticResource('models', 'yolov8n.onnx');

/** An example: the demo camera's snapshots, one zone covering the whole picture. */
export function cameraConfig(url: string, overrides: Partial<OccupancyConfig> = {}): Record<string, unknown> {
  return {
    cameras: [{ id: 'lobby', title: 'Lobby camera', source: { kind: 'snapshot', url: `${url}/snapshot.jpg` }, intervalMs: 2000, zones: [{ id: 'lobby' }] }],
    ...overrides,
  };
}

/**
 * Occupancy from IP cameras, private by design (the PLATOON ENGIE pilot): frames are read, decoded and run through a
 * person detector in a worker thread, and only counts per zone leave it; occupancy, its changes and a time series
 * per zone are the outputs. No frame is stored, logged or sent anywhere.
 */
@Injectable()
@DataAppPlugin('occupancy')
export class OccupancyApp implements DataApp<OccupancyConfig> {
  readonly title = 'Camera occupancy';
  readonly description = 'People counts per zone from IP cameras, computed on the edge node; no frame leaves it';
  readonly outputs: readonly DataAppOutput[] = [
    {
      name: 'occupancy',
      title: 'Occupancy per zone',
      description: 'The current number of people in each zone, counted on the edge node from camera frames (no frame leaves the node).',
      keywords: ['occupancy', 'HVAC', 'building', 'PLATOON'],
      kind: 'state',
    },
    {
      name: 'changes',
      title: 'Occupancy changes',
      description: 'Each change of a zone’s occupancy (time, from, to), smoothed so that a flickering detection is no change.',
      keywords: ['occupancy', 'HVAC', 'building', 'PLATOON'],
      kind: 'events',
    },
    {
      name: 'series',
      title: 'Occupancy time series',
      description: 'Occupancy per zone at a fixed resolution: mean, minimum and maximum of each interval.',
      keywords: ['occupancy', 'time series', 'building', 'PLATOON'],
      kind: 'events',
    },
  ];

  defaultConfig(): OccupancyConfig {
    const parsed = parseOccupancyConfig({ cameras: [] });
    if (!parsed.ok) throw new Error(`the occupancy app's default configuration is invalid: ${JSON.stringify(parsed.problems)}`);
    return parsed.config;
  }

  parseConfig(raw: unknown): ParsedConfig<OccupancyConfig> {
    return parseOccupancyConfig(raw);
  }

  redactConfig(config: OccupancyConfig): unknown {
    return redactOccupancyConfig(config);
  }

  restoreSecrets(incoming: OccupancyConfig, stored: OccupancyConfig | undefined): OccupancyConfig {
    return restoreOccupancySecrets(incoming, stored);
  }

  async verifyConfig(config: OccupancyConfig, tools: VerifyTools): Promise<ConfigProblem[]> {
    const problems: ConfigProblem[] = [];
    const model = config.detection.model ?? DEFAULT_MODEL;
    if (!(await readable(model))) {
      problems.push({
        field: 'detection.model',
        reason:
          config.detection.model === null
            ? `the default detector ${model} is not installed: run npm run assets:fetch (npm ci does it)`
            : `cannot read ${model}`,
      });
    } else if (config.detection.model !== null) {
      // Loaded and run once on a blank frame, so a file that is no YOLOv5/v8 detector is a 400 now, not a failed start.
      try {
        const pool = tools.pool<DetectionTask, DetectionResult>(new URL('./detection.worker.js', import.meta.url));
        await pool.run({ kind: 'probe', model, threads: 1, attempt: true });
      } catch (error) {
        problems.push({
          field: 'detection.model',
          reason: `is not a YOLOv5/v8 detector this app can run: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
    for (const [i, camera] of config.cameras.entries()) {
      const source = camera.source;
      if (source.kind === 'rtsp') {
        if (source.url.includes(`:${REDACTED}@`)) {
          problems.push({ field: `cameras[${i}].source.url`, reason: 'its password was sent redacted, and none is stored for this camera at this host' });
        }
        continue;
      }
      if (source.auth !== null && source.auth.password === null && source.auth.passwordFile === null) {
        problems.push({
          field: `cameras[${i}].source.auth.password`,
          reason: 'was sent redacted, and no password is stored for this camera at this URL’s host (a password never follows a changed host)',
        });
      }
      if (source.auth !== null && source.auth.passwordFile !== null) {
        const field = `cameras[${i}].source.auth.passwordFile`;
        await tools.readSecret(source.auth.passwordFile, field).catch((error: unknown) =>
          problems.push({ field, reason: error instanceof Error ? error.message.replace(/^passwordFile: /, '') : String(error) }),
        );
      }
    }
    return problems;
  }

  async start(config: OccupancyConfig, context: DataAppContext): Promise<DataAppRun> {
    const model = config.detection.model ?? DEFAULT_MODEL;
    if (!(await readable(model))) throw new Error(`the detector ${model} is missing: run npm run assets:fetch`);
    if (config.cameras.some((c) => c.source.kind === 'rtsp') && !ffmpegAvailable()) {
      context.warn('RTSP cameras need ffmpeg on the PATH; their state says so until it is installed');
    }
    return new OccupancyRun(config, model, context).start();
  }

  /** The demo: a fake camera on 127.0.0.1 showing four scenes of the demo photo in turn, 20 s each. */
  async demo(context: DemoContext): Promise<{ config: OccupancyConfig; stop: () => Promise<void> }> {
    const overrides = { smoothing: { window: 3, hysteresis: 1, holdSeconds: 4 }, series: { resolutionSeconds: 60 } } as Partial<OccupancyConfig>;
    const external = context.host('camera');
    if (external !== undefined) {
      // The fake camera runs elsewhere (`npm run camera-sim`, the compose file's `camera`).
      const parsed = parseOccupancyConfig(cameraConfig(`http://${external}:${context.port('camera')}`, overrides));
      if (!parsed.ok) throw new Error(`the occupancy demo configuration is invalid: ${JSON.stringify(parsed.problems)}`);
      return { config: parsed.config, stop: () => Promise.resolve() };
    }
    if (!(await readable(DEMO_PHOTO))) throw new Error(`the demo camera's photo ${DEMO_PHOTO} is not installed: run npm run assets:fetch`);
    const camera = await new FakeCamera({ port: context.port('camera'), frames: await demoFrames(), holdMs: 20_000 }).start();
    const parsed = parseOccupancyConfig(cameraConfig(camera.url, overrides));
    if (!parsed.ok) throw new Error(`the occupancy demo configuration is invalid: ${JSON.stringify(parsed.problems)}`);
    return { config: parsed.config, stop: () => camera.stop() };
  }
}

async function readable(path: string): Promise<boolean> {
  return access(path, constants.R_OK).then(
    () => true,
    () => false,
  );
}
