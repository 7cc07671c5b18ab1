import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ACCESS, type Access } from '../common/http/access.decorators.js';
import { adminSettings, type AdminSettings } from './auth.settings.js';
import { BasicCredentials } from './basic-credentials.js';

/**
 * The global guard: HTTP Basic with the admin user on every route, except those marked `@Public()` and those that
 * authenticate on their own (`@OwnAuthentication()` with a route guard). There is no default password.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  private readonly admin: BasicCredentials;

  constructor(
    private readonly reflector: Reflector,
    @Inject(adminSettings.token) settings: AdminSettings,
  ) {
    if (settings.password === undefined) throw new Error('admin password must be resolved before the app starts');
    this.admin = new BasicCredentials(settings.user, settings.password, 'fep-connector admin', 'FEP_ADMIN_USER / FEP_ADMIN_PASSWORD');
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]) !== undefined) return true;
    const http = context.switchToHttp();
    if (this.admin.matches(http.getRequest<Request>())) return true;
    throw this.admin.refuse(http.getResponse<Response>());
  }
}
