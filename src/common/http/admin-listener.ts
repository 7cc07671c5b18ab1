import type { Socket } from 'node:net';

/**
 * The port the admin API is reached on, when it has one of its own (FEP_ADMIN_PORT): set once the admin server
 * listens (port 0 resolves then). Requests are told apart by the local port of their connection.
 */
export class AdminListener {
  private port: number | undefined;

  listening(port: number): void {
    this.port = port;
  }

  /** The admin port, when there is one of its own. */
  get adminPort(): number | undefined {
    return this.port;
  }

  get separate(): boolean {
    return this.port !== undefined;
  }

  /** True for a request that came in on the admin port, or for every request while there is only one port. */
  isAdmin(socket: Socket): boolean {
    return this.port === undefined || socket.localPort === this.port;
  }
}
