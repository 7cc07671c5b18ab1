/**
 * Severity of vibration, pure: ISO 10816-3 zones from band-limited velocity RMS, and debounced, hysteretic
 * judgements so that a noisy signal does not flood events.
 *
 * ISO 10816-3:2009 (superseded by ISO 20816-3:2022, which keeps these boundaries), machines over 15 kW, velocity RMS
 * in mm/s on the bearing housings. Zone A: newly commissioned; B: unrestricted long-term operation; C: limited
 * operation, plan maintenance; D: damage likely. ISO 10816-7 covers rotodynamic pumps only, so for hydraulic
 * (piston or gear) pumps group 2 rigid is the default, configurable per asset.
 */
export type Zone = 'A' | 'B' | 'C' | 'D';
export const ZONES: readonly Zone[] = ['A', 'B', 'C', 'D'];

export interface ZoneLimits {
  /** Upper edges of zones A, B and C, mm/s. */
  ab: number;
  bc: number;
  cd: number;
}

export type MachineGroup = 1 | 2;
export type Foundation = 'rigid' | 'flexible';

/** ISO 10816-3 Table A.1 / A.2 boundaries. */
export const ISO_10816_3: Record<`${MachineGroup}-${Foundation}`, ZoneLimits> = {
  '2-rigid': { ab: 1.4, bc: 2.8, cd: 4.5 },
  '2-flexible': { ab: 2.3, bc: 4.5, cd: 7.1 },
  '1-rigid': { ab: 2.3, bc: 4.5, cd: 7.1 },
  '1-flexible': { ab: 3.5, bc: 7.1, cd: 11.0 },
};

export function zoneOf(vRms: number, limits: ZoneLimits): Zone {
  if (vRms <= limits.ab) return 'A';
  if (vRms <= limits.bc) return 'B';
  if (vRms <= limits.cd) return 'C';
  return 'D';
}

/** The boundary a zone ends at (undefined for D). */
export function upperLimit(zone: Zone, limits: ZoneLimits): number | undefined {
  return zone === 'A' ? limits.ab : zone === 'B' ? limits.bc : zone === 'C' ? limits.cd : undefined;
}

/**
 * The zone as reported: it moves up when k of the last n windows are at or above a higher zone, and down only when
 * k of the last n are below the lower boundary by the hysteresis margin. One window over a boundary is not an event.
 */
export class ZoneTracker {
  private readonly recent: number[] = [];
  current: Zone | undefined;

  constructor(
    private readonly limits: ZoneLimits,
    private readonly debounce: { k: number; n: number },
    /** Relative margin below a boundary to come back down (0.1: 10 %). */
    private readonly hysteresis: number,
  ) {}

  /**
   * The zone judged before a restart: the next judgement changes it only as it would have without the restart (a
   * restart once raised `zone (none) -> D` critical again for a pump that had been in D for hours).
   */
  restore(zone: Zone): void {
    this.current = zone;
  }

  /** Takes one window's velocity RMS; returns the new zone when the reported zone changed. */
  observe(vRms: number): { from: Zone | undefined; to: Zone } | undefined {
    this.recent.push(vRms);
    if (this.recent.length > this.debounce.n) this.recent.shift();
    if (this.recent.length < this.debounce.k) return undefined;
    const rank = (z: Zone): number => ZONES.indexOf(z);
    const zones = this.recent.map((v) => zoneOf(v, this.limits));
    if (this.current === undefined) {
      // The first judgement: the zone most of the last k windows are in.
      const counts = ZONES.map((z) => zones.filter((x) => x === z).length);
      return this.change(ZONES[counts.indexOf(Math.max(...counts))]);
    }
    const higher = ZONES.filter((z) => rank(z) > rank(this.current!));
    for (const z of [...higher].reverse()) if (zones.filter((x) => rank(x) >= rank(z)).length >= this.debounce.k) return this.change(z);
    if (this.current !== 'A') {
      const below = ZONES[rank(this.current) - 1];
      const boundary = upperLimit(below, this.limits)!;
      const clear = this.recent.filter((v) => v <= boundary * (1 - this.hysteresis)).length;
      if (clear >= this.debounce.k) {
        const to = zoneOf(Math.max(...this.recent.slice(-this.debounce.k)), this.limits);
        return this.change(rank(to) < rank(this.current) ? to : below);
      }
    }
    return undefined;
  }

  private change(to: Zone): { from: Zone | undefined; to: Zone } | undefined {
    if (to === this.current) return undefined;
    const from = this.current;
    this.current = to;
    return { from, to };
  }
}

/**
 * A condition that must hold in k of the last n windows to be raised, and fail in k of the last n to be cleared
 * (a latch: raised once, reported once).
 */
export class DebouncedFlag {
  private readonly recent: boolean[] = [];
  raised = false;

  constructor(private readonly debounce: { k: number; n: number }) {}

  observe(holds: boolean): 'raised' | 'cleared' | undefined {
    this.recent.push(holds);
    if (this.recent.length > this.debounce.n) this.recent.shift();
    const count = this.recent.filter(Boolean).length;
    if (!this.raised && count >= this.debounce.k) {
      this.raised = true;
      return 'raised';
    }
    if (this.raised && this.recent.length - count >= this.debounce.k) {
      this.raised = false;
      return 'cleared';
    }
    return undefined;
  }
}
