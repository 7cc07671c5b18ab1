/**
 * `npm run plc-sim -- [--port 1502] [--seed 42] [--unbalance 4] [--outer-race 0.5] [--inner-race 0.5]`: one
 * simulated pump PLC on 127.0.0.1, Modbus TCP, until Ctrl-C. Its register map is SIM_MAP (README: the simulator).
 */
import { parseArgs } from 'node:util';
import { HEALTHY_PUMP } from './pump-signal.generator.js';
import { PlcSimulator, SIM_MAP } from './plc.simulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '1502' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: '42' },
    unbalance: { type: 'string', default: '1' },
    'outer-race': { type: 'string', default: '0' },
    'inner-race': { type: 'string', default: '0' },
  },
});

function number(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const simulator = new PlcSimulator({
  host: values.host,
  port: number('port', values.port),
  seed: number('seed', values.seed),
  model: {
    ...HEALTHY_PUMP,
    unbalance: HEALTHY_PUMP.unbalance * number('unbalance', values.unbalance),
    outerRace: number('outer-race', values['outer-race']),
    innerRace: number('inner-race', values['inner-race']),
  },
});

simulator.start().then(
  () => {
    console.log(`PLC simulator on ${values.host}:${simulator.port} (unit 1, 1 kHz): blocks at IR ${SIM_MAP.blocks}, counter at ${SIM_MAP.counter}, ring at ${SIM_MAP.ring}, characteristics at ${SIM_MAP.characteristics}`);
    const stop = (): void => void simulator.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (error: unknown) => {
    console.error(`the PLC simulator could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
