import { Inject, Injectable, NotFoundException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ACCESS, ADMIN_USER, type Access } from '../common/http/access.decorators.js';
import { AdminListener } from '../common/http/admin-listener.js';
import { adminSettings, type AdminSettings } from './auth.settings.js';
import { BasicCredentials } from './basic-credentials.js';

/**
 * The global guard: HTTP Basic with the admin user on every route, except those marked `@Public()` and those that
 * authenticate on their own (`@OwnAuthentication()` with a route guard). There is no default password. With a
 * separate admin port, only `@Public()` routes answer on the IDS port.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly admin: BasicCredentials;
  private readonly user: string;

  constructor(
    private readonly reflector: Reflector,
    @Inject(adminSettings.token) settings: AdminSettings,
    @Inject(AdminListener) private readonly listener: AdminListener,
  ) {
    if (settings.password === undefined) throw new Error('admin password must be resolved before the app starts');
    this.user = settings.user;
    this.admin = new BasicCredentials(settings.user, settings.password, 'fep-connector admin', 'FEP_ADMIN_USER / FEP_ADMIN_PASSWORD');
  }

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    // With FEP_ADMIN_PORT, the IDS port serves only what partners call; the rest is not there at all.
    if (access !== 'public' && !this.listener.isAdmin(request.socket)) {
      throw new NotFoundException(`Cannot ${request.method} ${request.path}`);
    }
    if (access !== undefined) return true;
    if (this.admin.matches(request)) {
      (request as unknown as Record<symbol, unknown>)[ADMIN_USER] = this.user;
      return true;
    }
    throw this.admin.refuse(http.getResponse<Response>());
  }
}
