import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { IS_DATA_APP, IS_LOOPBACK_INTERNAL, IS_PUBLIC } from './public.decorator.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * HTTP Basic on every route not marked @Public(): the admin user, or on @DataAppAuth() routes the data-app user.
 * Compared on digests, in constant time.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly expected: Buffer;
  private readonly dataApp: Buffer;
  private readonly loopbackInternal: boolean;

  constructor(
    private readonly reflector: Reflector,
    @Inject(CONNECTOR_CONFIG) config: ConnectorConfig,
  ) {
    this.loopbackInternal = config.usage.platoonApi === 'loopback';
    if (config.admin.password === undefined) throw new Error('admin password must be resolved before the app starts');
    this.expected = digest(`${config.admin.user}:${config.admin.password}`);
    this.dataApp = digest(`${config.dataApp.user}:${config.dataApp.password ?? config.admin.password}`);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (this.loopbackInternal && LOOPBACK.has(request.socket.remoteAddress ?? '') && this.reflector.getAllAndOverride<boolean>(IS_LOOPBACK_INTERNAL, [context.getHandler(), context.getClass()])) return true;
    const header = request.headers.authorization ?? '';
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    const given = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const dataApp = this.reflector.getAllAndOverride<boolean>(IS_DATA_APP, [context.getHandler(), context.getClass()]) ?? false;
    if (match && timingSafeEqual(digest(given), dataApp ? this.dataApp : this.expected)) return true;
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', `Basic realm="fep-connector ${dataApp ? 'data app' : 'admin'}"`);
    throw new UnauthorizedException(
      dataApp ? 'data-app credentials required (HTTP Basic, FEP_DATA_APP_USER / FEP_DATA_APP_PASSWORD)' : 'admin credentials required (HTTP Basic, FEP_ADMIN_USER / FEP_ADMIN_PASSWORD)',
    );
  }
}
