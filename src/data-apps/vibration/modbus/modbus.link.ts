import type modbus from 'modbus-serial';

// modbus-serial is CommonJS: its client class is the module itself, typed as its `default`.
type ModbusClient = InstanceType<typeof modbus.default>;

/**
 * Loaded on the first connection, not at boot: it brings serialport's native bindings (about 10 MB of RSS and
 * a share of the start-up time) that a node without a PLC never needs.
 */
let clientClass: Promise<typeof modbus.default> | undefined;
const loadClient = (): Promise<typeof modbus.default> =>
  (clientClass ??= import('modbus-serial').then((m) => m.default.default));
import type { PlcConfig, Table } from '../vibration-config.parser.js';

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

/** Why a read failed, as an operator reads it in the app's status. */
export class ModbusReadError extends Error {
  constructor(
    message: string,
    /** `exception`: the PLC answered Modbus exception `code`; `timeout`; `connection`: not connected or lost. */
    readonly kind: 'exception' | 'timeout' | 'connection',
    readonly code?: number,
  ) {
    super(message);
  }
}

const EXCEPTIONS: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  6: 'server device busy',
};

function classify(error: unknown): ModbusReadError {
  const e = error as { modbusCode?: number; name?: string; message?: string; errno?: string };
  if (typeof e.modbusCode === 'number') {
    return new ModbusReadError(`Modbus exception ${e.modbusCode} (${EXCEPTIONS[e.modbusCode] ?? 'unknown'})`, 'exception', e.modbusCode);
  }
  if (e.name === 'TransactionTimedOutError' || e.errno === 'ETIMEDOUT') return new ModbusReadError('no answer within the timeout', 'timeout');
  return new ModbusReadError(e.message ?? String(error), 'connection');
}

/** A connection that has served this long is well: the next failure backs off from the start again. */
const STABLE_MS = 10_000;
/**
 * Bytes a PLC may send per second beyond what was asked for: a Modbus TCP answer is at most 260 bytes (MBAP header
 * and PDU, Modbus Messaging on TCP/IP Implementation Guide V1.0b section 3.1.3), so a peer streaming more is not
 * answering requests and the connection is dropped (with backoff) before its bytes cost the node more.
 */
const SLACK_BYTES_PER_SECOND = 64 * 1024;
const MAX_ANSWER_BYTES = 260;

/**
 * One Modbus TCP connection to a PLC (modbus-serial's client), kept up: a lost or refused connection, a malformed
 * answer or a peer that streams what it was not asked for is retried with a doubling delay (0.5 s to 30 s, starting
 * over once a connection has served STABLE_MS) while the readers see `connection` errors; reads time out after
 * `timeoutMs`. Every socket error is caught here: a PLC going away never reaches the process as an exception.
 */
export class ModbusLink {
  state: LinkState = 'connecting';
  since = new Date();
  lastError: string | null = null;
  readonly counters = { requests: 0, timeouts: 0, exceptions: 0, reconnects: 0 };
  private client: ModbusClient | undefined;
  private connecting: Promise<void> | undefined;
  private retryMs = 500;
  private retryAt = 0;
  private stopped = false;
  private timeoutsInRow = 0;
  private connectedAt = 0;
  /** Bytes received and answers asked for in the current second (the junk guard). */
  private received = { windowStart: 0, bytes: 0, asked: 0 };

  constructor(
    readonly config: PlcConfig,
    private readonly now: () => number = Date.now,
  ) {}

  async read(table: Table, address: number, length: number): Promise<number[]> {
    const client = await this.connected();
    this.counters.requests++;
    this.received.asked++;
    try {
      const result = table === 'input' ? await client.readInputRegisters(address, length) : await client.readHoldingRegisters(address, length);
      this.timeoutsInRow = 0;
      return result.data;
    } catch (error) {
      // Dropped while this read waited (junk, a closed socket): the drop's reason is what happened.
      if (this.client !== client) throw new ModbusReadError(this.lastError ?? 'the connection was dropped', 'connection');
      const failure = classify(error);
      if (failure.kind === 'exception') {this.counters.exceptions++;}
      else if (failure.kind === 'timeout') {
        this.counters.timeouts++;
        this.timeoutsInRow++;
      }
      this.lastError = failure.message;
      // A timeout may mean a dead peer: after two in a row the connection is rebuilt (a stalled socket stays open).
      if (failure.kind === 'connection' || (failure.kind === 'timeout' && this.timeoutsInRow >= 2)) this.drop(failure.message);
      throw failure;
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.enter('stopped');
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await new Promise<void>((resolve) => client.close(() => resolve()));
  }

  private async connected(): Promise<ModbusClient> {
    if (this.stopped) throw new ModbusReadError('the link is stopped', 'connection');
    if (this.client?.isOpen === true) return this.client;
    if (this.now() < this.retryAt) throw new ModbusReadError(`not connected (${this.lastError ?? 'connecting'}); next attempt soon`, 'connection');
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    await this.connecting;
    const client = this.current();
    if (client === undefined) throw new ModbusReadError(`not connected: ${this.lastError ?? 'unknown'}`, 'connection');
    return client;
  }

  /** The client when its socket is open (a method, so that it is read again after an await). */
  private current(): ModbusClient | undefined {
    return this.client?.isOpen === true ? this.client : undefined;
  }

  private async connect(): Promise<void> {
    const client = new (await loadClient())();
    client.on('error', (error: unknown) => {
      this.lastError = error instanceof Error ? error.message : String(error);
    });
    client.on('close', () => {
      if (this.client === client) this.drop('the PLC closed the connection');
    });
    try {
      await client.connectTCP(this.config.host, { port: this.config.port, timeout: this.config.timeoutMs });
      client.setID(this.config.unitId);
      client.setTimeout(this.config.timeoutMs);
      if (this.stopped) {
        client.close(() => undefined);
        return;
      }
      this.client = client;
      this.connectedAt = this.now();
      this.received = { windowStart: this.now(), bytes: 0, asked: 0 };
      this.guardSocket(client);
      this.enter('connected');
      this.lastError = null;
    } catch (error) {
      client.close(() => undefined);
      this.lastError = `connecting to ${this.config.host}:${this.config.port}: ${error instanceof Error ? error.message : String(error)}`;
      this.retryAt = this.now() + this.retryMs;
      this.retryMs = Math.min(30_000, this.retryMs * 2);
      this.enter('reconnecting');
    }
  }

  private drop(reason: string): void {
    this.timeoutsInRow = 0;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      this.counters.reconnects++;
      client.close(() => undefined);
      // Every kind of failure backs off (a PLC has few TCP slots): a malformed answer once reconnected at once,
      // 1,713 times in 22 s for four assets. The delay starts over only after a connection served STABLE_MS.
      if (this.now() - this.connectedAt >= STABLE_MS) this.retryMs = 500;
      this.retryAt = this.now() + this.retryMs;
      this.retryMs = Math.min(30_000, this.retryMs * 2);
    }
    if (this.stopped) return;
    this.lastError = reason;
    this.enter('reconnecting');
  }

  /**
   * Counts what the PLC sends: more than the answers asked for (at most 260 bytes each) plus a slack per second is
   * a peer streaming junk, and the connection is dropped before parsing it costs the node more.
   */
  private guardSocket(client: ModbusClient): void {
    const socket = (client as unknown as { _port?: { _client?: { on(event: 'data', listener: (chunk: Buffer) => void): void } } })._port?._client;
    socket?.on('data', (chunk: Buffer) => {
      const now = this.now();
      if (now - this.received.windowStart >= 1000) this.received = { windowStart: now, bytes: 0, asked: 0 };
      this.received.bytes += chunk.length;
      if (this.client === client && this.received.bytes > this.received.asked * MAX_ANSWER_BYTES + SLACK_BYTES_PER_SECOND) {
        this.drop(`the PLC sent ${this.received.bytes} bytes in a second, far more than the answers asked for: not a Modbus TCP server?`);
      }
    });
  }

  private enter(state: LinkState): void {
    if (this.state !== state) this.since = new Date(this.now());
    this.state = state;
  }
}
