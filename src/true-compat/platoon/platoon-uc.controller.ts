import { Body, Controller, Header, HttpCode, Inject, Post, Query, Req, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { OwnAuthentication } from '../../common/http/access.decorators.js';
import { PlatoonAccessGuard } from './platoon-access.guard.js';
import { Clock } from '../../common/clock.js';
import { RawBody } from '../../common/http/body.decorators.js';
import { ConnectorError } from '../../common/connector.error.js';
import { serverSettings, type ServerSettings } from '../../common/http/server.settings.js';
import { checkContractShape } from '../../ids/infomodel/contract.shape.js';
import { isObject } from '../../ids/infomodel/jsonld.reader.js';
import { readPayload } from '../../ids/transport/ids-transport.codec.js';
import { UsageEnforcer } from '../../usage/usage.enforcer.js';
import { UsageRepository } from '../../usage/usage.repository.js';

/** TRUE's usage-control app answers a denial with this text (its CI collections look for it). */
export const PDP_DENIAL = 'PDP decided to inhibit the usage: Event is not allowed according to policy';

/**
 * TRUE Connector's Platoon usage-control app API (true-connector-uc_data_app_platoon): store an agreement, then
 * enforce it on data being consumed. Here it runs on this connector's own engine, on the consumer side (the
 * data is being consumed here). 400: a policy this engine cannot enforce; 403: a denial, with the reasons.
 */
@ApiTags('TRUE Connector compatibility')
@ApiBasicAuth()
@OwnAuthentication()
@UseGuards(PlatoonAccessGuard)
@Controller('platoontec/PlatoonDataUsage/1.0')
export class PlatoonUcController {
  constructor(
    private readonly enforcer: UsageEnforcer,
    private readonly repository: UsageRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(serverSettings.token) private readonly server: ServerSettings,
  ) {}

  @ApiOperation({ summary: 'TRUE usage-control API: stores a contract agreement' })
  @Post('contractAgreement')
  @HttpCode(200)
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiBody({ description: 'an ids:ContractAgreement (JSON-LD)', schema: { type: 'object' } })
  async store(@Body() body: unknown): Promise<string> {
    if (!isObject(body)) throw ConnectorError.badInput('body', 'an ids:ContractAgreement JSON-LD object is required');
    const iri = body['@id'];
    if (typeof iri !== 'string' || iri === '') throw ConnectorError.badInput('body', 'the contract agreement needs an @id');
    const problems = [...checkContractShape(body), ...this.enforcer.problems(body)];
    if (problems.length > 0) throw ConnectorError.badInput('body', `Policy not supported: ${problems.join('; ')}`);
    const now = this.clock.now().toISOString();
    const existing = await this.repository.findAgreement(iri);
    await this.repository.saveAgreement({ iri, document: body, created: existing?.created ?? now, modified: now });
    return existing === null ? 'Contract Agreement has been added' : 'Contract Agreement has been updated';
  }

  /** Enforces a stored agreement on the payload in the body; a permitted payload comes back unchanged. */
  @Post('enforce/usage/agreement')
  @RawBody()
  @HttpCode(200)
  @ApiBody({ description: 'the data being consumed, returned unchanged when permitted', schema: { type: 'string' } })
  async enforce(
    @Req() request: Request,
    @Query('contractAgreementUri') agreementIri: string | undefined,
    @Query('requestedArtifact') artifact: string | undefined,
    @Query('consuming') consuming: string | undefined,
  ): Promise<StreamableFile> {
    const body = (await readPayload(request, this.server.maxJsonBytes, 'FEP_MAX_JSON_BYTES'))!;
    if (!agreementIri) throw ConnectorError.badInput('contractAgreementUri', 'the query parameter contractAgreementUri is required');
    if (!artifact) throw ConnectorError.badInput('requestedArtifact', 'the query parameter requestedArtifact is required');
    const agreement = await this.repository.findAgreement(agreementIri);
    if (agreement === null) throw ConnectorError.notFound('contract agreement', agreementIri);
    try {
      await this.enforcer.authorize({
        side: 'consumer',
        agreementIri,
        document: agreement.document,
        stored: agreement.created,
        target: artifact,
        consume: consuming !== 'false',
      });
    } catch (error) {
      if (error instanceof ConnectorError && error.code === 'NOT_AUTHORIZED') {
        throw new ConnectorError('NOT_AUTHORIZED', `${PDP_DENIAL}. ${error.message}`);
      }
      throw error;
    }
    return new StreamableFile(body, { type: request.headers['content-type'] ?? 'application/octet-stream', length: body.length });
  }
}
