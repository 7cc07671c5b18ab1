/**
 * Condition indicators of one window of acceleration samples (m/s²), pure. Time domain: RMS, peak, crest factor,
 * kurtosis, skewness. Frequency domain (fft.js real FFT, rectangular window): velocity RMS by integration,
 * V(f) = A(f) / (j 2 pi f), summed over a band (ISO 10816-3's quantity, band-limited: at 1 kHz sampling only about
 * 10 to 400 Hz are usable, against ISO's 10 to 1000 Hz); band-energy ratios; the envelope spectrum of a resonance
 * band (analytic signal by FFT masking, McFadden & Smith 1984) and its peak-to-floor ratio at the bearing defect
 * frequencies.
 */
import FFT from 'fft.js';

export interface BearingGeometry {
  balls: number;
  ballDiameterMm: number;
  pitchDiameterMm: number;
  contactAngleDeg: number;
}

export interface BearingFrequencies {
  ftf: number;
  bpfo: number;
  bpfi: number;
  bsf: number;
}

/** Defect frequencies from the geometry and the shaft frequency (Hz), the textbook formulas (BSF without the 2x). */
export function bearingFrequencies(b: BearingGeometry, shaftHz: number): BearingFrequencies {
  const ratio = (b.ballDiameterMm / b.pitchDiameterMm) * Math.cos((b.contactAngleDeg * Math.PI) / 180);
  return {
    ftf: (shaftHz / 2) * (1 - ratio),
    bpfo: ((b.balls * shaftHz) / 2) * (1 - ratio),
    bpfi: ((b.balls * shaftHz) / 2) * (1 + ratio),
    bsf: (b.pitchDiameterMm / (2 * b.ballDiameterMm)) * shaftHz * (1 - ratio * ratio),
  };
}

export interface TimeIndicators {
  /** Acceleration RMS, m/s² (mean removed). */
  aRms: number;
  peak: number;
  crest: number;
  kurtosis: number;
  skewness: number;
}

export function timeIndicators(samples: Float64Array): TimeIndicators {
  const n = samples.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const d = samples[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
    if (Math.abs(d) > peak) peak = Math.abs(d);
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const aRms = Math.sqrt(m2);
  return { aRms, peak, crest: aRms === 0 ? 0 : peak / aRms, kurtosis: m2 === 0 ? 0 : m4 / (m2 * m2), skewness: m2 === 0 ? 0 : m3 / Math.pow(m2, 1.5) };
}

/** The one-sided amplitude spectrum |A_k| (bins 0..N/2) of a real signal of power-of-two length, mean removed. */
export function amplitudeSpectrum(samples: Float64Array): Float64Array {
  return magnitudes(transform(samples), samples.length);
}

/** The real transform of the signal with its mean removed (bins 0..N/2 filled, as fft.js's realTransform does). */
function transform(samples: Float64Array): number[] {
  const n = samples.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  const input = new Float64Array(n);
  for (let i = 0; i < n; i++) input[i] = samples[i] - mean;
  const fft = fftOf(n);
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  return out;
}

function magnitudes(complex: number[], n: number): Float64Array {
  const half = n / 2;
  const magnitude = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    const re = complex[2 * k];
    const im = complex[2 * k + 1];
    magnitude[k] = Math.sqrt(re * re + im * im);
  }
  return magnitude;
}

const ffts = new Map<number, FFT>();
function fftOf(n: number): FFT {
  let fft = ffts.get(n);
  if (fft === undefined) {
    if (n < 4 || (n & (n - 1)) !== 0) throw new Error(`the window must be a power of two, got ${n}`);
    fft = new FFT(n);
    ffts.set(n, fft);
  }
  return fft;
}

/**
 * The 4-term Blackman-Harris window (Harris, "On the use of windows for harmonic analysis with the discrete Fourier
 * transform", Proc. IEEE 66 (1978), table 1: sidelobes at -92 dB, main lobe +-4 bins) and its power gain sum(w²).
 * Without a window a strong tone under the band leaks into it through the rectangular window's sidelobes (-13 dB,
 * falling only as 1/f): 1 m/s² at 8 Hz added 0.77 mm/s to a 10 Hz+ velocity RMS, enough to move zone A to B.
 */
const windows = new Map<number, { w: Float64Array; power: number }>();
function blackmanHarris(n: number): { w: Float64Array; power: number } {
  let found = windows.get(n);
  if (found === undefined) {
    const w = new Float64Array(n);
    let power = 0;
    for (let i = 0; i < n; i++) {
      const x = (2 * Math.PI * i) / n;
      w[i] = 0.35875 - 0.48829 * Math.cos(x) + 0.14128 * Math.cos(2 * x) - 0.01168 * Math.cos(3 * x);
      power += w[i] * w[i];
    }
    found = { w, power };
    windows.set(n, found);
  }
  return found;
}

/**
 * The amplitude spectrum of the signal (mean removed) through a Blackman-Harris window, rescaled so that its energy
 * is the signal's (|A_k|² x N / sum w²): velocityRms of it stays a true RMS, and a tone off the band stays off it.
 */
export function windowedSpectrum(samples: Float64Array): Float64Array {
  const n = samples.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += samples[i];
  mean /= n;
  const { w, power } = blackmanHarris(n);
  const input = new Float64Array(n);
  for (let i = 0; i < n; i++) input[i] = (samples[i] - mean) * w[i];
  const fft = fftOf(n);
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  const magnitude = magnitudes(out, n);
  const gain = Math.sqrt(n / power);
  for (let k = 0; k < magnitude.length; k++) magnitude[k] *= gain;
  return magnitude;
}

/** Velocity RMS in mm/s over [lowHz, highHz] of an acceleration signal (m/s²), windowed (windowedSpectrum). */
export function bandVelocityRms(samples: Float64Array, sampleRateHz: number, lowHz: number, highHz: number): number {
  return velocityRms(windowedSpectrum(samples), samples.length, sampleRateHz, lowHz, highHz);
}

/**
 * Velocity RMS in mm/s over [lowHz, highHz] from the amplitude spectrum of acceleration (m/s²):
 * v_rms = sqrt( sum |A_k|² 2/N² / (2 pi f_k)² ) x 1000. (A 1 g sine at 100 Hz gives 11.04 mm/s.) Give it a
 * windowed spectrum (windowedSpectrum): the band then really starts at lowHz.
 */
export function velocityRms(spectrum: Float64Array, n: number, sampleRateHz: number, lowHz: number, highHz: number): number {
  const df = sampleRateHz / n;
  let sum = 0;
  for (let k = 1; k < spectrum.length; k++) {
    const f = k * df;
    if (f < lowHz || f > highHz) continue;
    const a = spectrum[k];
    const w = 2 * Math.PI * f;
    sum += (a * a * 2) / (n * n) / (w * w);
  }
  return Math.sqrt(sum) * 1000;
}

/** Share of the spectrum's energy inside [lowHz, highHz] (0..1). */
export function bandEnergyRatio(spectrum: Float64Array, n: number, sampleRateHz: number, lowHz: number, highHz: number): number {
  const df = sampleRateHz / n;
  let inside = 0;
  let total = 0;
  for (let k = 1; k < spectrum.length; k++) {
    const e = spectrum[k] * spectrum[k];
    total += e;
    const f = k * df;
    if (f >= lowHz && f <= highHz) inside += e;
  }
  return total === 0 ? 0 : inside / total;
}

/**
 * Envelope spectrum of the band [lowHz, highHz]: the band kept in the frequency domain, the analytic signal by
 * doubling the positive bins and zeroing the negative ones, its magnitude (the envelope) with the mean removed, and
 * the amplitude spectrum of that.
 */
export function envelopeSpectrum(samples: Float64Array, sampleRateHz: number, lowHz: number, highHz: number): Float64Array {
  return envelopeOf(transform(samples), samples.length, sampleRateHz, lowHz, highHz);
}

/** The envelope spectrum from the signal's transform (which `analyzeWindow` computes once for both uses). */
function envelopeOf(spectrum: number[], n: number, sampleRateHz: number, lowHz: number, highHz: number): Float64Array {
  const fft = fftOf(n);
  const df = sampleRateHz / n;
  const analytic = fft.createComplexArray() as number[];
  for (let k = Math.max(1, Math.ceil(lowHz / df)); k < n / 2 && k * df <= highHz; k++) {
    analytic[2 * k] = 2 * spectrum[2 * k];
    analytic[2 * k + 1] = 2 * spectrum[2 * k + 1];
  }
  const signal = fft.createComplexArray() as number[];
  fft.inverseTransform(signal, analytic);
  const envelope = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const re = signal[2 * i];
    const im = signal[2 * i + 1];
    envelope[i] = Math.sqrt(re * re + im * im);
  }
  return amplitudeSpectrum(envelope);
}

/** The median of the bins in [lowHz, highHz]: the floor peaks are measured against. */
export function spectrumFloor(spectrum: Float64Array, n: number, sampleRateHz: number, floor: { lowHz: number; highHz: number }): number {
  const df = sampleRateHz / n;
  const from = Math.max(1, Math.floor(floor.lowHz / df));
  const to = Math.min(spectrum.length - 1, Math.ceil(floor.highHz / df));
  if (to < from) return 0;
  const bins = spectrum.slice(from, to + 1).sort();
  return bins[Math.floor(bins.length / 2)];
}

/**
 * Peak-to-floor ratio of a spectrum at `targetHz`: the largest bin within +/-`tolerance` of the target (impacts
 * slip about 1 %) over the median of the bins in [floorLowHz, floorHighHz].
 */
export function peakToFloor(
  spectrum: Float64Array,
  n: number,
  sampleRateHz: number,
  targetHz: number,
  floor: { lowHz: number; highHz: number } | number,
  tolerance = 0.02,
): number {
  const df = sampleRateHz / n;
  const lo = Math.max(1, Math.floor((targetHz * (1 - tolerance)) / df));
  const hi = Math.min(spectrum.length - 1, Math.ceil((targetHz * (1 + tolerance)) / df));
  let peak = 0;
  for (let k = lo; k <= hi; k++) peak = Math.max(peak, spectrum[k]);
  const median = typeof floor === 'number' ? floor : spectrumFloor(spectrum, n, sampleRateHz, floor);
  return median === 0 ? 0 : peak / median;
}

export interface WindowAnalysis extends TimeIndicators {
  /** Velocity RMS, mm/s, over `band`. */
  vRms: number;
  /** The band vRms covers: at 1 kHz about 10 to 400 Hz, narrower than ISO 10816-3's 10 to 1000 Hz. */
  band: { lowHz: number; highHz: number };
  /** Energy share of the resonance band (bearing impacts raise it). */
  resonanceBandRatio: number;
  /** Energy share of the piston-pass band (pump ripple). */
  pistonBandRatio: number;
  /** Envelope-spectrum peak-to-floor ratio at each bearing defect frequency. */
  envelope: { ftf: number; bpfo: number; bpfi: number; bsf: number };
}

export interface AnalysisSettings {
  sampleRateHz: number;
  shaftHz: number;
  pistons: number;
  bearing: BearingGeometry;
  /** Velocity band; its upper edge stays at or below fs / 2.5 (above that the anti-alias filter cuts in). */
  velocityBand: { lowHz: number; highHz: number };
  /** The resonance band the envelope is taken of. */
  resonanceBand: { lowHz: number; highHz: number };
}

/** The usable velocity band for a sampling rate: [10, min(1000, fs / 2.5)] Hz (ISO 10816-3 asks 10 to 1000 Hz). */
export function usableBand(sampleRateHz: number): { lowHz: number; highHz: number } {
  return { lowHz: 10, highHz: Math.min(1000, Math.floor(sampleRateHz / 2.5)) };
}

export function analyzeWindow(samples: Float64Array, s: AnalysisSettings): WindowAnalysis {
  const n = samples.length;
  // One forward transform serves the amplitude spectrum and the envelope; one floor serves the four ratios.
  const transformed = transform(samples);
  const spectrum = magnitudes(transformed, n);
  const freqs = bearingFrequencies(s.bearing, s.shaftHz);
  const envelope = envelopeOf(transformed, n, s.sampleRateHz, s.resonanceBand.lowHz, s.resonanceBand.highHz);
  const floor = spectrumFloor(envelope, n, s.sampleRateHz, { lowHz: 5, highHz: Math.min(250, s.sampleRateHz / 4) });
  const piston = s.pistons * s.shaftHz;
  return {
    ...timeIndicators(samples),
    vRms: bandVelocityRms(samples, s.sampleRateHz, s.velocityBand.lowHz, s.velocityBand.highHz),
    band: s.velocityBand,
    resonanceBandRatio: bandEnergyRatio(spectrum, n, s.sampleRateHz, s.resonanceBand.lowHz, s.resonanceBand.highHz),
    pistonBandRatio: bandEnergyRatio(spectrum, n, s.sampleRateHz, piston * 0.95, piston * 1.05),
    envelope: {
      ftf: peakToFloor(envelope, n, s.sampleRateHz, freqs.ftf, floor),
      bpfo: peakToFloor(envelope, n, s.sampleRateHz, freqs.bpfo, floor),
      bpfi: peakToFloor(envelope, n, s.sampleRateHz, freqs.bpfi, floor),
      bsf: peakToFloor(envelope, n, s.sampleRateHz, freqs.bsf, floor),
    },
  };
}

/** The health model's inputs, in this order (a user's model takes the same): logs where the indicator spans decades. */
export const HEALTH_FEATURES = ['ln vRms', 'ln aRms', 'ln peak', 'crest', 'ln kurtosis', 'resonanceBandRatio', 'ln envelope BPFO', 'ln envelope BPFI'] as const;

export function healthFeatures(a: WindowAnalysis): number[] {
  const ln = (v: number): number => Math.log(Math.max(v, 1e-9));
  return [ln(a.vRms), ln(a.aRms), ln(a.peak), a.crest, ln(a.kurtosis), a.resonanceBandRatio, ln(a.envelope.bpfo), ln(a.envelope.bpfi)];
}
