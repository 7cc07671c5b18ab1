import { Body, Controller, Get, Header, HttpCode, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/http/access.decorators.js';
import { DapsRequestError, DevDapsService } from './dev-daps.service.js';

/** The development DAPS endpoints (FEP_DAPS_MODE=dev only): Omejdn's token protocol and JWKS. */
@ApiExcludeController()
@Public()
@Controller('daps')
export class DevDapsController {
  constructor(private readonly daps: DevDapsService) {}

  @Post('token')
  @HttpCode(200)
  async token(@Body() form: Record<string, string | undefined>, @Res() res: Response): Promise<void> {
    try {
      res.json(await this.daps.issue(form ?? {}));
    } catch (error) {
      if (!(error instanceof DapsRequestError)) throw error;
      res.status(400).json({ error: error.error, error_description: error.description });
    }
  }

  @Get('jwks.json')
  @Header('Cache-Control', 'max-age=60')
  jwks(): object {
    return this.daps.jwks;
  }
}
