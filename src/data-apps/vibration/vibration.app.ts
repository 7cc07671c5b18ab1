import { Injectable } from '@nestjs/common';
import { access } from 'node:fs/promises';
import { DataAppPlugin, type ConfigProblem, type DataAppAction, type DataApp, type DemoContext, type DataAppContext, type DataAppOutput, type DataAppRun, type ParsedConfig } from '../data-app.contract.js';
import { HEALTHY_PUMP, type PumpModel } from './simulator/pump-signal.generator.js';
import { PlcSimulator, SIM_MAP } from './simulator/plc.simulator.js';
import { parseVibrationConfig, type VibrationConfig } from './vibration-config.parser.js';
import { HEALTH_FEATURES } from './vibration.analytics.js';
import { VibrationRun } from './vibration.run.js';

/** An example: one pump behind the PLC simulator's self-describing blocks (`npm run plc-sim`), and its module values. */
export function simulatorConfig(port: number, overrides: Partial<VibrationConfig> = {}, host = '127.0.0.1'): Record<string, unknown> {
  return {
    assets: [
      {
        id: 'pump-1',
        title: 'Hydraulic pump 1 (simulated)',
        plc: { host, port, unitId: 1, timeoutMs: 1000, pollMs: 50 },
        channels: [
          {
            id: 'drive-end',
            waveform: { layout: 'blocks', table: 'input', address: SIM_MAP.blocks, blocks: 16, samplesPerBlock: 120, encoding: 'int16', scale: 0.001, sampleRateHz: 1000 },
          },
        ],
        characteristics: {
          table: 'input',
          pollMs: 1000,
          values: [
            { name: 'v_rms', address: SIM_MAP.characteristics, encoding: 'float32', wordOrder: 'ABCD', scale: 1, unit: 'mm/s' },
            { name: 'a_rms', address: SIM_MAP.characteristics + 2, encoding: 'float32', wordOrder: 'ABCD', scale: 1, unit: 'm/s2' },
            { name: 'peak', address: SIM_MAP.characteristics + 4, encoding: 'float32', wordOrder: 'ABCD', scale: 1, unit: 'm/s2' },
          ],
        },
        machine: { group: 2, foundation: 'rigid', rpm: 1480, pistons: 9, bearing: { balls: 9, ballDiameterMm: 7.94, pitchDiameterMm: 39.04, contactAngleDeg: 0 } },
      },
    ],
    ...overrides,
  };
}

/**
 * The demo pump's run to failure over `cycleMinutes`: onset at a tenth of the cycle; the unbalance grows 2.4-fold
 * (zone C) by 55 % of it and about 3.8-fold (zone D) by 80 %; the outer race's impacts grow 20-fold by the end.
 */
export function demoCycle(cycleMinutes: number): { degradation: NonNullable<PumpModel['degradation']>; repairEveryS: number } {
  const cycleS = cycleMinutes * 60;
  // ln(2.4) over 45 % of the cycle: the seeded runs (run-to-failure.spec) cross 2.8 mm/s at that growth.
  return { degradation: { onsetS: 0.1 * cycleS, faultRate: Math.log(20) / (0.9 * cycleS), unbalanceRate: Math.log(2.4) / (0.45 * cycleS) }, repairEveryS: cycleS };
}

/** The demo's trend rules on its time scale: 180 buckets a cycle, a cycle of trend, a horizon of two. */
export function demoEvents(cycleMinutes: number): VibrationConfig['events'] {
  const hours = cycleMinutes / 60;
  return { baselineWindows: 20, trendBucketSeconds: (cycleMinutes * 60) / 180, minTrendPoints: 12, trendHours: hours, horizonHours: 2 * hours } as VibrationConfig['events'];
}

/**
 * Predictive maintenance of hydraulic pumps from 1 kHz vibration read off a PLC over Modbus TCP (the PLATOON
 * Veolia pilot): indicators per window, ISO 10816-3 zones, bearing-fault signatures, trends and a health index on
 * the node; maintenance events and each pump's condition go out as catalog artifacts.
 */
@Injectable()
@DataAppPlugin('vibration')
export class VibrationApp implements DataApp<VibrationConfig> {
  readonly title = 'Pump vibration';
  readonly description = '1 kHz vibration of hydraulic pumps read from a PLC (Modbus TCP), analysed on the edge node';
  readonly outputs: readonly DataAppOutput[] = [
    {
      name: 'events',
      title: 'Maintenance events',
      description:
        'Maintenance events of hydraulic pumps, computed on the edge node: ISO 10816-3 zone changes, bearing-fault signatures, deviations from the healthy baseline, predicted times to the zone C/D limits, health-index alarms; each with its evidence.',
      keywords: ['predictive maintenance', 'vibration', 'pump', 'PLATOON'],
      kind: 'events',
    },
    {
      name: 'condition',
      title: 'Pump condition',
      description:
        'Current condition of each pump: ISO 10816-3 zone, band-limited velocity RMS, acceleration indicators, envelope ratios at the bearing defect frequencies, health index and predicted time to the next zone limit.',
      keywords: ['condition monitoring', 'vibration', 'pump', 'PLATOON'],
      kind: 'state',
    },
  ];

  readonly actions: readonly DataAppAction[] = [
    {
      name: 'rebaseline',
      summary:
        'Forgets the healthy baseline of an asset (or of one of its channels) and learns it again from the next windows in zones A/B: after a repair or a change of the machine. Published as a baseline-reset event naming who asked.',
      example: { asset: 'pump-1', reason: 'drive-end bearing replaced' },
    },
  ];

  defaultConfig(): VibrationConfig {
    const parsed = parseVibrationConfig(simulatorConfig(1502));
    if (!parsed.ok) throw new Error(`the vibration app's example configuration is invalid: ${JSON.stringify(parsed.problems)}`);
    return parsed.config;
  }

  parseConfig(raw: unknown): ParsedConfig<VibrationConfig> {
    return parseVibrationConfig(raw);
  }

  /** A user's health model must load and map the features to one number in [0, 1]. */
  async verifyConfig(config: VibrationConfig): Promise<ConfigProblem[]> {
    const path = config.health.model;
    if (path === null) return [];
    try {
      await access(path);
    } catch {
      return [{ field: 'health.model', reason: `cannot read ${path}` }];
    }
    try {
      // Loaded here, not at boot: the worker module brings the ONNX graph builder (onnx-proto, protobufjs), which a
      // node without a user's model never needs on its main thread.
      const { runHealth } = await import('./analysis.worker.js');
      await runHealth({ kind: 'file', path }, HEALTH_FEATURES.map(() => 0), true);
      return [];
    } catch (error) {
      return [{ field: 'health.model', reason: `must take features [N, ${HEALTH_FEATURES.length}] and give health [N, 1]: ${error instanceof Error ? error.message : String(error)}` }];
    }
  }

  async start(config: VibrationConfig, context: DataAppContext): Promise<DataAppRun> {
    return new VibrationRun(config, context).start();
  }

  /**
   * The demo pump runs to failure once a cycle (FEP_DEMO_CYCLE_MINUTES, 30 by default): healthy for the first
   * tenth, then unbalance and outer-race damage grow so that it crosses into zone C at about 55 % of the cycle and
   * D at about 80 %, and it is "repaired" at the end. Its trend is judged on the same time scale (demoEvents), so a
   * prediction comes well before each crossing. With FEP_DEMO_PLC_HOST the simulator runs elsewhere (`npm run
   * plc-sim`) and only the configuration points at it.
   */
  async demo(context: DemoContext): Promise<{ config: VibrationConfig; stop: () => Promise<void> }> {
    const external = context.host('plc');
    let stop = (): Promise<void> => Promise.resolve();
    let port = context.port('plc');
    if (external === undefined) {
      const cycle = demoCycle(context.cycleMinutes);
      const simulator = new PlcSimulator({ port, model: { ...HEALTHY_PUMP, outerRace: 0.05, degradation: cycle.degradation } });
      await simulator.start();
      const repair = setInterval(
        () => simulator.inject({ degradation: { ...cycle.degradation, onsetS: simulator.signal.timeS + cycle.degradation.onsetS } }),
        cycle.repairEveryS * 1000,
      );
      port = simulator.port;
      stop = async () => {
        clearInterval(repair);
        await simulator.stop();
      };
    }
    const parsed = parseVibrationConfig(
      simulatorConfig(
        port,
        { analysis: { windowSamples: 2048, resonanceBand: { lowHz: 250, highHz: 480 } }, events: demoEvents(context.cycleMinutes), conditionEverySeconds: 5 },
        external,
      ),
    );
    if (!parsed.ok) throw new Error(`the vibration demo configuration is invalid: ${JSON.stringify(parsed.problems)}`);
    return { config: parsed.config, stop };
  }
}
