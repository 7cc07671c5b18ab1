import { BodyExample, EXAMPLE_ID } from '../common/http/body-example.decorator.js';
import { Body, Controller, Delete, Get, HttpCode, Logger, Patch, Post, Put, Query, Req, StreamableFile } from '@nestjs/common';
import { IdParam } from '../common/http/id-param.decorator.js';
import { RawBody } from '../common/http/body.decorators.js';
import { ApiBasicAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ArtifactService } from './artifact.service.js';
import type { Page } from './catalog.repository.js';
import { ArtifactQueryDto, ArtifactView, CreateArtifactDto, UpdateArtifactDto } from './dto/artifact.dto.js';

@ApiTags('catalog')
@ApiBasicAuth()
@Controller('api/artifacts')
export class ArtifactsController {
  private readonly logger = new Logger('Artifacts');

  constructor(private readonly artifacts: ArtifactService) {}

  @BodyExample(CreateArtifactDto, { representationId: EXAMPLE_ID, fileName: 'events.json' })
  @ApiOperation({ summary: 'Adds an artifact to a representation (its bytes: upload, file, URL or data-app output)' })
  @Post()
  create(@Body() dto: CreateArtifactDto): Promise<ArtifactView> {
    return this.artifacts.create(dto);
  }

  @ApiOperation({ summary: 'Lists artifacts' })
  @Get()
  list(@Query() q: ArtifactQueryDto): Promise<Page<ArtifactView>> {
    return this.artifacts.list(q.representationId, q.page, q.size);
  }

  @ApiOperation({ summary: 'One artifact, with its IRI, size and SHA-256' })
  @Get(':id')
  get(@IdParam() id: string): Promise<ArtifactView> {
    return this.artifacts.get(id);
  }

  @BodyExample(UpdateArtifactDto, { fileName: 'events-2026.json' })
  @ApiOperation({ summary: 'Changes an artifact' })
  @Patch(':id')
  update(@IdParam() id: string, @Body() dto: UpdateArtifactDto): Promise<ArtifactView> {
    return this.artifacts.update(id, dto);
  }

  /** Deletes the artifact and its stored bytes. */
  @Delete(':id')
  @HttpCode(204)
  remove(@IdParam() id: string): Promise<void> {
    return this.artifacts.remove(id);
  }

  /** Uploads the artifact's bytes (the raw request body, streamed to disk; size and SHA-256 are recorded). */
  @Put(':id/data')
  @RawBody()
  @ApiConsumes('application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  upload(@IdParam() id: string, @Req() request: Request): Promise<ArtifactView> {
    return this.artifacts.upload(id, request);
  }

  @ApiOperation({ summary: 'The artifact’s bytes (the provider’s own copy; partners get them over IDS)' })
  @Get(':id/data')
  @ApiProduces('application/octet-stream')
  async download(@IdParam() id: string): Promise<StreamableFile> {
    const { artifact, data } = await this.artifacts.open(id);
    const file = new StreamableFile(data.stream, {
      type: data.mediaType ?? 'application/octet-stream',
      ...(data.size === undefined ? {} : { length: data.size }),
      ...(artifact.fileName === null ? {} : { disposition: `attachment; filename="${artifact.fileName.replace(/["\\\r\n]/g, '_')}"` }),
    });
    // A source that breaks off mid-transfer (an HTTP source going silent) ends this download, in one log line.
    return file.setErrorLogger((error) => this.logger.warn(`download of artifact ${artifact.iri} broke off: ${error.message}`));
  }
}
