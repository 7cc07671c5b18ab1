import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BasicCredentials } from '../../auth/basic-credentials.js';
import { trueCompatSettings, type TrueCompatSettings } from '../true-compat.settings.js';

/**
 * TRUE's data-app gateway (`/proxy`, `/incoming-data-app/*`) takes its own user, TRUE's `idsUser`
 * (FEP_DATA_APP_USER / FEP_DATA_APP_PASSWORD, the admin user's by default).
 */
@Injectable()
export class TrueGatewayGuard implements CanActivate {
  private readonly gateway: BasicCredentials;

  constructor(@Inject(trueCompatSettings.token) settings: TrueCompatSettings) {
    if (settings.gatewayPassword === undefined) throw new Error('the TRUE gateway password must be resolved before the app starts');
    this.gateway = new BasicCredentials(
      settings.gatewayUser,
      settings.gatewayPassword,
      'fep-connector TRUE gateway',
      'FEP_DATA_APP_USER / FEP_DATA_APP_PASSWORD',
    );
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    if (this.gateway.matches(http.getRequest<Request>())) return true;
    throw this.gateway.refuse(http.getResponse<Response>());
  }
}
