import type { LoggerService } from '@nestjs/common';
import { pino, type Logger as Pino } from 'pino';
import type { Writable } from 'node:stream';
import { correlationId } from './correlation.js';
import type { LoggingSettings } from './logging.settings.js';

type Level = 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<Level, number> = { error: 50, warn: 40, info: 30, debug: 20 };

/** Nest's own start-up chatter (one line per module and route): kept for `debug`, not the operator's log. */
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/**
 * Nest's LoggerService over pino: JSON lines with time, level, context and the request's correlation id (the IDS
 * message `@id`), or plain text when a person reads a terminal. Never colour codes: a terminal's output is often
 * piped into a file.
 */
export class ConnectorLogger implements LoggerService {
  private readonly json: Pino | undefined;
  private readonly minimum: number;

  constructor(
    settings: LoggingSettings,
    private readonly out: Writable & { isTTY?: boolean } = process.stdout,
  ) {
    this.minimum = RANK[settings.level];
    const pretty = settings.format === 'pretty' || (settings.format === 'auto' && out.isTTY === true);
    this.json = pretty
      ? undefined
      : pino(
          {
            level: settings.level,
            base: { pid: process.pid },
            timestamp: pino.stdTimeFunctions.isoTime,
            formatters: { level: (label) => ({ level: label }) },
          },
          out,
        );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack, context); a stack is kept as a field.
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }

  private write(requested: Level, message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const level: Level = context !== undefined && CHATTY_CONTEXTS.has(context) && requested === 'info' ? 'debug' : requested;
    if (RANK[level] < this.minimum) return;
    const fields: Record<string, unknown> = {};
    if (context !== undefined) fields.context = context;
    const correlation = correlationId();
    if (correlation !== undefined) fields.correlationId = correlation;
    if (stack !== undefined) fields.stack = stack;
    let text: string;
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      const { msg, ...extra } = message as Record<string, unknown>;
      Object.assign(fields, extra);
      text = typeof msg === 'string' ? msg : '';
    } else {
      text = message instanceof Error ? (message.stack ?? message.message) : String(message);
    }
    if (this.json !== undefined) {
      this.json[level](fields, text);
      return;
    }
    const { context: _context, correlationId: _correlation, ...shown } = fields;
    const tail = Object.keys(shown).length === 0 ? '' : ` ${JSON.stringify(shown)}`;
    this.out.write(
      `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${context === undefined ? '' : `[${context}] `}${text}${tail}\n`,
    );
  }
}
