import { BodyExample } from '../common/http/body-example.decorator.js';
import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.decorator.js';
import type { Page } from '../common/page.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { ConsumerService } from './consumer.service.js';
import { ConsumerPageDto, DescribeRemoteDto, FetchDto, NegotiateDto } from './dto/consumer.dto.js';
import type { ConsumerAgreementEntity } from './entities/consumer-agreement.entity.js';
import type { ReceivedArtifactEntity } from './entities/received-artifact.entity.js';
import { TransferProgress, type Transfer } from './transfer.progress.js';

/** The consumer side for people and scripts: describe a remote connector, negotiate, fetch, list what was kept. */
@ApiTags('consumer')
@ApiBasicAuth()
@Controller('api/consumer')
export class ConsumerController {
  constructor(
    private readonly consumer: ConsumerService,
    private readonly transfers: TransferProgress,
  ) {}

  @BodyExample(DescribeRemoteDto, { url: 'https://localhost:8443/data' })
  @ApiOperation({ summary: 'Asks a remote connector for its self-description (or an element of it)' })
  @Post('describe')
  @HttpCode(200)
  describe(@Body() dto: DescribeRemoteDto): Promise<JsonLd> {
    return this.consumer.describe(dto.url, dto.elementId, dto.transport);
  }

  @BodyExample(NegotiateDto, {
    url: 'https://localhost:8443/data',
    offer: {
      '@type': 'ids:ContractOffer',
      'ids:permission': [
        {
          'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }],
          'ids:target': { '@id': 'https://w3id.org/idsa/autogen/artifact/00000000-0000-4000-8000-000000000000' },
        },
      ],
    },
  })
  @ApiOperation({ summary: 'Negotiates a contract with a remote connector from its offer; keeps the agreement' })
  @Post('negotiate')
  @HttpCode(200)
  negotiate(@Body() dto: NegotiateDto): Promise<ConsumerAgreementEntity> {
    return this.consumer.negotiate(dto.url, dto.offer as JsonLd, dto.transport);
  }

  @BodyExample(FetchDto, {
    url: 'https://localhost:8443/data',
    artifact: 'https://w3id.org/idsa/autogen/artifact/00000000-0000-4000-8000-000000000000',
    agreement: 'https://w3id.org/idsa/autogen/contractAgreement/00000000-0000-4000-8000-000000000000',
  })
  @ApiOperation({ summary: 'Fetches an artifact from a remote connector under an agreement; keeps the bytes' })
  @Post('fetch')
  @HttpCode(200)
  fetch(@Body() dto: FetchDto): Promise<ReceivedArtifactEntity> {
    return this.consumer.fetch(dto.url, dto.artifact, dto.agreement, undefined, dto.transport);
  }

  @ApiOperation({ summary: 'Agreements this connector holds as consumer' })
  @Get('agreements')
  async agreements(@Query() q: ConsumerPageDto): Promise<Page<ConsumerAgreementEntity>> {
    const [items, total] = await this.consumer.listAgreements(q.page, q.size);
    return { items, page: q.page, size: q.size, total };
  }

  @Get('transfers')
  @ApiOperation({ summary: 'Artifacts being received now (bytes so far) and the last ones finished' })
  transfersInProgress(): Transfer[] {
    return this.transfers.list();
  }

  @ApiOperation({ summary: 'Artifacts received, each with its agreement' })
  @Get('artifacts')
  async artifacts(@Query() q: ConsumerPageDto): Promise<Page<ReceivedArtifactEntity>> {
    const [items, total] = await this.consumer.listArtifacts(q.page, q.size);
    return { items, page: q.page, size: q.size, total };
  }

  @ApiOperation({ summary: 'Reads a received artifact, under its agreement (enforced again here)' })
  @Get('artifacts/:id/data')
  async data(@IdParam() id: string): Promise<StreamableFile> {
    const { artifact, stream } = await this.consumer.receivedArtifact(id);
    return new StreamableFile(stream, { type: artifact.mediaType ?? 'application/octet-stream', length: artifact.byteSize });
  }
}
