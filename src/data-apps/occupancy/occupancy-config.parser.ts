/**
 * The occupancy app's configuration (README "Camera occupancy"): cameras with their source and zones, the detector,
 * the smoothing of counts and the time series. Pure: every problem names its path.
 */
import { ConfigChecker, join } from '../config.checker.js';
import type { ParsedConfig } from '../data-app.contract.js';
import type { Point } from './zone.analytics.js';

export interface CameraAuth {
  user: string;
  /** Inline (shown as REDACTED by the admin API), or read from a file (a container secret). */
  password: string | null;
  passwordFile: string | null;
}

export type CameraSource =
  | { kind: 'snapshot'; url: string; auth: CameraAuth | null; timeoutMs: number }
  | { kind: 'mjpeg'; url: string; auth: CameraAuth | null; timeoutMs: number }
  | { kind: 'rtsp'; url: string; transport: 'tcp' | 'udp'; timeoutMs: number };

export interface ZoneConfig {
  id: string;
  /** Image pixels of the camera's frames; null: the whole image. */
  polygon: Point[] | null;
}

export interface CameraConfig {
  id: string;
  title: string;
  source: CameraSource;
  /** One frame analysed every this many ms at most (occupancy needs one every 1 to 5 s). */
  intervalMs: number;
  /**
   * Largest frame (width x height, read from the JPEG header before decoding) the camera may send: the decoder's
   * memory grows with it. Larger frames are refused, counted, and the camera's state says so.
   */
  maxPixels: number;
  zones: ZoneConfig[];
}

/** The default frame limit: 4096 x 4096 (a 16 MP camera; 4K is 8.3 MP). Decoding one takes about 50 MB. */
export const DEFAULT_MAX_PIXELS = 4096 * 4096;

export interface OccupancyConfig {
  cameras: CameraConfig[];
  detection: {
    /** An ONNX file in YOLOv5 or YOLOv8 format; null: the YOLOv8n installed with the connector. */
    model: string | null;
    confidence: number;
    iou: number;
    threads: number;
  };
  smoothing: { window: number; hysteresis: number; holdSeconds: number };
  series: { resolutionSeconds: number };
}

/** What the admin API shows instead of an inline password. */
export const REDACTED = '********';
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function url(c: ConfigChecker, field: string, raw: unknown, schemes: string[]): string {
  const value = c.string(field, raw, /^\S{1,2048}$/);
  try {
    const parsed = new URL(value);
    if (!schemes.includes(parsed.protocol)) c.problem(field, `must be a ${schemes.map((s) => s.replace(':', '')).join(' or ')} URL`);
    if (parsed.username !== '' || parsed.password !== '') c.problem(field, 'must not carry credentials: use auth (the URL is shown and logged)');
  } catch {
    if (value !== '') c.problem(field, `is not a URL: ${value}`);
  }
  return value;
}

function auth(c: ConfigChecker, f: string, raw: unknown): CameraAuth | null {
  const o = c.object(f, raw, ['user', 'password', 'passwordFile'], true);
  if (o === undefined) return null;
  const password = o.password === undefined || o.password === null ? null : c.string(join(f, 'password'), o.password, /^.{0,256}$/);
  const passwordFile = o.passwordFile === undefined || o.passwordFile === null ? null : c.string(join(f, 'passwordFile'), o.passwordFile, /^.{1,4096}$/);
  if ((password === null) === (passwordFile === null)) c.problem(f, 'needs password or passwordFile (one of them)');
  return { user: c.string(join(f, 'user'), o.user, /^[^:\r\n]{1,128}$/), password, passwordFile };
}

function source(c: ConfigChecker, f: string, raw: unknown): CameraSource {
  const o = c.object(f, raw, ['kind', 'url', 'auth', 'timeoutMs', 'transport']) ?? {};
  const kind = c.oneOf(join(f, 'kind'), o.kind, ['snapshot', 'mjpeg', 'rtsp'] as const);
  const timeoutMs = c.int(join(f, 'timeoutMs'), o.timeoutMs, 100, 120_000, 10_000);
  if (kind === 'rtsp') {
    if (o.auth !== undefined) c.problem(join(f, 'auth'), 'RTSP credentials go in the URL of ffmpeg only; not supported here');
    return { kind, url: c.string(join(f, 'url'), o.url, /^rtsps?:\/\/\S{1,2040}$/), transport: c.oneOf(join(f, 'transport'), o.transport, ['tcp', 'udp'] as const, 'tcp'), timeoutMs };
  }
  if (o.transport !== undefined) c.problem(join(f, 'transport'), 'only for rtsp sources');
  return { kind, url: url(c, join(f, 'url'), o.url, ['http:', 'https:']), auth: auth(c, join(f, 'auth'), o.auth), timeoutMs };
}

function zones(c: ConfigChecker, f: string, raw: unknown): ZoneConfig[] {
  if (raw === undefined) return [{ id: 'all', polygon: null }];
  const list = c.array(f, raw, 1, 32).map((z, i) => {
    const g = join(f, i);
    const o = c.object(g, z, ['id', 'polygon']) ?? {};
    const id = c.string(join(g, 'id'), o.id, ID);
    if (o.polygon === undefined || o.polygon === null) return { id, polygon: null };
    const points = c.array(join(g, 'polygon'), o.polygon, 3, 64).map((p, j) => {
      const ok = Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100_000);
      if (!ok) c.problem(join(join(g, 'polygon'), j), 'must be [x, y] in image pixels');
      return (ok ? p : [0, 0]) as Point;
    });
    return { id, polygon: points };
  });
  list.forEach((z, i) => list.findIndex((y) => y.id === z.id) !== i && c.problem(join(f, i), `zone id ${z.id} is used twice`));
  return list;
}

export function parseOccupancyConfig(raw: unknown): ParsedConfig<OccupancyConfig> {
  const c = new ConfigChecker();
  const o = c.object('', raw, ['cameras', 'detection', 'smoothing', 'series']) ?? {};
  const cameras = c.array('cameras', o.cameras, 0, 32).map((cam, i) => {
    const f = join('cameras', i);
    const e = c.object(f, cam, ['id', 'title', 'source', 'intervalMs', 'maxPixels', 'zones']) ?? {};
    const id = c.string(join(f, 'id'), e.id, ID);
    return {
      id,
      title: c.string(join(f, 'title'), e.title, /^.{1,200}$/, id),
      source: source(c, join(f, 'source'), e.source),
      intervalMs: c.int(join(f, 'intervalMs'), e.intervalMs, 200, 3_600_000, 2000),
      maxPixels: c.int(join(f, 'maxPixels'), e.maxPixels, 64 * 64, 64_000_000, DEFAULT_MAX_PIXELS),
      zones: zones(c, join(f, 'zones'), e.zones),
    };
  });
  cameras.forEach((a, i) => cameras.findIndex((b) => b.id === a.id) !== i && c.problem(join('cameras', i), `camera id ${a.id} is used twice`));
  const d = c.object('detection', o.detection, ['model', 'confidence', 'iou', 'threads'], true) ?? {};
  const detection = {
    model: d.model === undefined || d.model === null ? null : c.string('detection.model', d.model, /^.{1,4096}$/),
    confidence: c.number('detection.confidence', d.confidence, 0.01, 1, 0.4),
    iou: c.number('detection.iou', d.iou, 0.05, 0.95, 0.45),
    threads: c.int('detection.threads', d.threads, 1, 16, 1),
  };
  const s = c.object('smoothing', o.smoothing, ['window', 'hysteresis', 'holdSeconds'], true) ?? {};
  const smoothing = {
    window: c.int('smoothing.window', s.window, 1, 100, 5),
    hysteresis: c.int('smoothing.hysteresis', s.hysteresis, 1, 1000, 2),
    holdSeconds: c.number('smoothing.holdSeconds', s.holdSeconds, 0, 86_400, 10),
  };
  const t = c.object('series', o.series, ['resolutionSeconds'], true) ?? {};
  const series = { resolutionSeconds: c.number('series.resolutionSeconds', t.resolutionSeconds, 1, 86_400, 60) };
  return c.problems.length > 0 ? { ok: false, problems: c.problems } : { ok: true, config: { cameras, detection, smoothing, series } };
}

const USERINFO = /^(rtsps?:\/\/[^:/@\s]+):([^@/\s]*)@/;

/** The configuration as the admin API shows it: inline passwords (and those in RTSP URLs) replaced by REDACTED. */
export function redactOccupancyConfig(config: OccupancyConfig): OccupancyConfig {
  return {
    ...config,
    cameras: config.cameras.map((cam) => {
      if (cam.source.kind === 'rtsp') return { ...cam, source: { ...cam.source, url: cam.source.url.replace(USERINFO, `$1:${REDACTED}@`) } };
      return cam.source.auth !== null && cam.source.auth.password !== null ? { ...cam, source: { ...cam.source, auth: { ...cam.source.auth, password: REDACTED } } } : cam;
    }),
  };
}

/** scheme://host:port of a camera URL (undefined when it is none). */
function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return undefined;
  }
}

/**
 * A configuration sent back with REDACTED keeps the stored password of the same camera, at the same origin only
 * (scheme, host and port): a password never follows a changed URL to another host, where whoever changed it would
 * receive it (in a Basic header, or an RTSP URL). Otherwise the redacted value is a password no longer known, which
 * `verifyConfig` refuses.
 */
export function restoreOccupancySecrets(next: OccupancyConfig, stored: OccupancyConfig | undefined): OccupancyConfig {
  return {
    ...next,
    cameras: next.cameras.map((cam) => {
      const before = stored?.cameras.find((s) => s.id === cam.id)?.source;
      const sameOrigin = before !== undefined && before.kind === cam.source.kind && originOf(before.url) === originOf(cam.source.url);
      if (cam.source.kind === 'rtsp') {
        const m = USERINFO.exec(cam.source.url);
        const old = sameOrigin && before?.kind === 'rtsp' ? USERINFO.exec(before.url) : null;
        if (m === null || m[2] !== REDACTED || old === null) return cam;
        return { ...cam, source: { ...cam.source, url: cam.source.url.replace(USERINFO, `$1:${old?.[2] ?? ''}@`) } };
      }
      if (cam.source.auth?.password !== REDACTED) return cam;
      const password = sameOrigin && before.kind !== 'rtsp' ? (before.auth?.password ?? null) : null;
      return { ...cam, source: { ...cam.source, auth: { ...cam.source.auth, password } } };
    }),
  };
}
