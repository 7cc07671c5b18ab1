import { UnauthorizedException } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * One HTTP Basic user (RFC 7617): compared on SHA-256 digests in constant time, so neither the length nor the
 * content of a wrong password shows in the timing.
 */
export class BasicCredentials {
  private readonly expected: Buffer;

  constructor(
    user: string,
    password: string,
    private readonly realm: string,
    /** Which settings the caller must use, for the 401 message. */
    private readonly settings: string,
  ) {
    this.expected = digest(`${user}:${password}`);
  }

  matches(request: Request): boolean {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(request.headers.authorization ?? '');
    return match !== null && timingSafeEqual(digest(Buffer.from(match[1], 'base64').toString('utf8')), this.expected);
  }

  /** The 401 with its challenge. */
  refuse(response: Response): UnauthorizedException {
    response.setHeader('WWW-Authenticate', `Basic realm="${this.realm}"`);
    return new UnauthorizedException(`${this.realm} credentials required (HTTP Basic, ${this.settings})`);
  }
}
