/**
 * A seeded, physically shaped vibration signal of a hydraulic (axial-piston) pump, in m/s², for the PLC simulator
 * and the known-answer tests (no vibration data set exists offline). The model, per sample:
 *   shaft 1x (unbalance) and 2x (misalignment) at f_r = rpm / 60,
 *   piston pass at pistons x f_r and its 2nd harmonic,
 *   bearing-fault impacts at BPFO (outer race) or BPFI (inner race, amplitude-modulated by the shaft), each
 *   exciting a damped resonance A e^(-zeta w_n t) sin(w_n sqrt(1 - zeta^2) t), with 1 % random slip of the impact
 *   period (Randall & Antoni, "Rolling element bearing diagnostics - a tutorial", MSSP 25 (2011); McFadden & Smith
 *   1984),
 *   white Gaussian noise,
 *   and degradation over time: fault amplitude A0 until an onset, then A0 e^(lambda (t - onset)); unbalance likewise.
 * Pure: the same seed and parameters give the same samples.
 */
import { bearingFrequencies, type BearingGeometry } from '../vibration.analytics.js';

export interface PumpModel {
  rpm: number;
  pistons: number;
  bearing: BearingGeometry;
  /** 1x amplitude, m/s² (unbalance). */
  unbalance: number;
  /** 2x amplitude, m/s² (misalignment). */
  misalignment: number;
  /** Piston-pass amplitude and its 2nd harmonic, m/s². */
  pistonPass: number;
  pistonPass2: number;
  /** White noise sigma, m/s². */
  noise: number;
  /** Resonance the impacts excite (must be below fs / 2), and its damping ratio. */
  resonanceHz: number;
  damping: number;
  /** Bearing faults: impact amplitudes, m/s² (0: healthy). */
  outerRace: number;
  innerRace: number;
  /** Growth after onset, per second (0: none); applied to the bearing faults and to the unbalance. */
  degradation?: { onsetS: number; faultRate: number; unbalanceRate: number };
}

/**
 * A healthy axial-piston pump at 1480 r/min (a 4-pole motor), 9 pistons, with SKF 6205 bearing geometry (the CWRU
 * test rig's): velocity RMS about 1.3 mm/s, zone A.
 */
export const HEALTHY_PUMP: PumpModel = {
  rpm: 1480,
  pistons: 9,
  bearing: { balls: 9, ballDiameterMm: 7.94, pitchDiameterMm: 39.04, contactAngleDeg: 0 },
  unbalance: 0.25,
  misalignment: 0.15,
  pistonPass: 0.6,
  pistonPass2: 0.18,
  noise: 0.2,
  resonanceHz: 380,
  damping: 0.1,
  outerRace: 0,
  innerRace: 0,
};

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a uniform source (Box-Muller). */
function gaussian(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * An endless generator: `next(n)` returns the next n samples (continuous across calls: phases, impact times and
 * the random stream carry on). `model` may be changed between calls (a fault injected into a running simulator).
 */
export class PumpSignal {
  private sample = 0;
  private readonly random: () => number;
  private readonly normal: () => number;
  private nextImpact: { outer: number; inner: number };
  /** Impacts still ringing: start time (s) and amplitude. */
  private ringing: { at: number; amplitude: number }[] = [];

  constructor(
    public model: PumpModel,
    readonly sampleRateHz: number,
    seed: number,
    /** Seconds since the pump's start at the first sample (for degradation). */
    private readonly startS = 0,
  ) {
    this.random = prng(seed);
    this.normal = gaussian(this.random);
    this.nextImpact = { outer: startS, inner: startS };
  }

  /** Seconds since the pump's start at the next sample. */
  get timeS(): number {
    return this.startS + this.sample / this.sampleRateHz;
  }

  next(count: number): Float64Array {
    const out = new Float64Array(count);
    const m = this.model;
    const fr = m.rpm / 60;
    const freqs = bearingFrequencies(m.bearing, fr);
    const wn = 2 * Math.PI * m.resonanceHz;
    const wd = wn * Math.sqrt(1 - m.damping * m.damping);
    const decay = m.damping * wn;
    const ringFor = 8 / decay; // long enough for e^-8
    for (let i = 0; i < count; i++) {
      const t = this.startS + this.sample / this.sampleRateHz;
      const growth = m.degradation && t > m.degradation.onsetS ? t - m.degradation.onsetS : 0;
      const faultGain = m.degradation ? Math.exp(m.degradation.faultRate * growth) : 1;
      const unbalance = m.unbalance * (m.degradation ? Math.exp(m.degradation.unbalanceRate * growth) : 1);
      let a =
        unbalance * Math.sin(2 * Math.PI * fr * t) +
        m.misalignment * Math.sin(2 * Math.PI * 2 * fr * t + 0.7) +
        m.pistonPass * Math.sin(2 * Math.PI * m.pistons * fr * t + 0.3) +
        m.pistonPass2 * Math.sin(2 * Math.PI * 2 * m.pistons * fr * t + 1.1);
      // New impacts, each period with 1 % random slip.
      for (const [kind, amplitude, freq] of [
        ['outer', m.outerRace, freqs.bpfo],
        ['inner', m.innerRace, freqs.bpfi],
      ] as const) {
        if (amplitude <= 0) {
          this.nextImpact[kind] = t;
          continue;
        }
        while (this.nextImpact[kind] <= t) {
          const at = this.nextImpact[kind];
          const modulation = kind === 'inner' ? 1 + 0.5 * Math.cos(2 * Math.PI * fr * at) : 1;
          this.ringing.push({ at, amplitude: amplitude * faultGain * modulation });
          this.nextImpact[kind] = at + (1 / freq) * (1 + 0.01 * (2 * this.random() - 1));
        }
      }
      for (const impact of this.ringing) {
        const tau = t - impact.at;
        a += impact.amplitude * Math.exp(-decay * tau) * Math.sin(wd * tau);
      }
      if (this.ringing.length > 64 || (this.ringing.length > 0 && t - this.ringing[0].at > ringFor)) this.ringing = this.ringing.filter((r) => t - r.at <= ringFor);
      out[i] = a + m.noise * this.normal();
      this.sample++;
    }
    return out;
  }
}
