import { Body, Controller, Get, HttpCode, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBasicAuth, ApiTags } from '@nestjs/swagger';
import { IdParam } from '../common/http/id-param.decorator.js';
import type { Page } from '../common/page.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { ConsumerService } from './consumer.service.js';
import { ConsumerPageDto, DescribeRemoteDto, FetchDto, NegotiateDto } from './dto/consumer.dto.js';
import type { ConsumerAgreementEntity } from './entities/consumer-agreement.entity.js';
import type { ReceivedArtifactEntity } from './entities/received-artifact.entity.js';

/** The consumer side for people and scripts: describe a remote connector, negotiate, fetch, list what was kept. */
@ApiTags('consumer')
@ApiBasicAuth()
@Controller('api/consumer')
export class ConsumerController {
  constructor(private readonly consumer: ConsumerService) {}

  @Post('describe')
  @HttpCode(200)
  describe(@Body() dto: DescribeRemoteDto): Promise<JsonLd> {
    return this.consumer.describe(dto.url, dto.elementId, dto.transport);
  }

  @Post('negotiate')
  @HttpCode(200)
  negotiate(@Body() dto: NegotiateDto): Promise<ConsumerAgreementEntity> {
    return this.consumer.negotiate(dto.url, dto.offer as JsonLd, dto.transport);
  }

  @Post('fetch')
  @HttpCode(200)
  fetch(@Body() dto: FetchDto): Promise<ReceivedArtifactEntity> {
    return this.consumer.fetch(dto.url, dto.artifact, dto.agreement, undefined, dto.transport);
  }

  @Get('agreements')
  async agreements(@Query() q: ConsumerPageDto): Promise<Page<ConsumerAgreementEntity>> {
    const [items, total] = await this.consumer.listAgreements(q.page, q.size);
    return { items, page: q.page, size: q.size, total };
  }

  @Get('artifacts')
  async artifacts(@Query() q: ConsumerPageDto): Promise<Page<ReceivedArtifactEntity>> {
    const [items, total] = await this.consumer.listArtifacts(q.page, q.size);
    return { items, page: q.page, size: q.size, total };
  }

  @Get('artifacts/:id/data')
  async data(@IdParam() id: string): Promise<StreamableFile> {
    const { artifact, stream } = await this.consumer.receivedArtifact(id);
    return new StreamableFile(stream, { type: artifact.mediaType ?? 'application/octet-stream', length: artifact.byteSize });
  }
}
