import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { adminSettings, type AdminSettings } from '../../auth/auth.settings.js';
import { BasicCredentials } from '../../auth/basic-credentials.js';
import { trueCompatSettings, type TrueCompatSettings } from '../true-compat.settings.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * TRUE's Platoon usage-control API is an admin API. TRUE runs that app as a container reachable only inside its
 * network; with FEP_PLATOON_UC_API=loopback, calls from 127.0.0.1/::1 are admitted without credentials likewise.
 */
@Injectable()
export class PlatoonAccessGuard implements CanActivate {
  private readonly admin: BasicCredentials;
  private readonly loopback: boolean;

  constructor(@Inject(adminSettings.token) admin: AdminSettings, @Inject(trueCompatSettings.token) settings: TrueCompatSettings) {
    this.admin = new BasicCredentials(admin.user, admin.password ?? '', 'fep-connector admin', 'FEP_ADMIN_USER / FEP_ADMIN_PASSWORD');
    this.loopback = settings.platoonApi === 'loopback';
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (this.loopback && LOOPBACK.has(request.socket.remoteAddress ?? '')) return true;
    if (this.admin.matches(request)) return true;
    throw this.admin.refuse(http.getResponse<Response>());
  }
}
