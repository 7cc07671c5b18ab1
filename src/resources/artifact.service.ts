import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { Clock } from '../common/clock.js';
import { BlobStore } from '../database/blob.store.js';
import { CatalogCache } from './catalog.cache.js';
import { catalogSettings, type CatalogSettings } from './catalog.settings.js';
import type { ArtifactData } from './sources/artifact-source.contract.js';
import { ArtifactSourceRegistry } from './sources/artifact-source.registry.js';
import { CatalogRepository, type Page } from './catalog.repository.js';
import { CatalogService, mustFind, mustReference } from './catalog.service.js';
import type { CreateArtifactDto, UpdateArtifactDto } from './dto/artifact.dto.js';
import type { ArtifactEntity } from './entities/artifact.entity.js';
import { newIdentity } from './iri.factory.js';

@Injectable()
export class ArtifactService {
  constructor(
    private readonly repository: CatalogRepository,
    private readonly catalog: CatalogService,
    private readonly blobs: BlobStore,
    private readonly sources: ArtifactSourceRegistry,
    private readonly cache: CatalogCache,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(catalogSettings.token) private readonly settings: CatalogSettings,
  ) {}

  async create(dto: CreateArtifactDto): Promise<ArtifactEntity> {
    await mustReference(this.repository.representations, 'representationId', dto.representationId);
    const sourceType = dto.sourceType ?? 'upload';
    const { location, byteSize, checksum } = await this.sources.register(sourceType, dto.sourceLocation ?? null);
    const now = this.clock.now().toISOString();
    return this.repository.artifacts.save({
      ...newIdentity('artifact'),
      representationId: dto.representationId,
      fileName: dto.fileName ?? null,
      byteSize,
      checksum,
      creationDate: now,
      sourceType,
      sourceLocation: location,
      created: now,
      modified: now,
    });
  }

  list(representationId: string | undefined, page: number, size: number): Promise<Page<ArtifactEntity>> {
    return this.repository.artifacts.list(representationId === undefined ? {} : { representationId }, page, size);
  }

  get(id: string): Promise<ArtifactEntity> {
    return mustFind(this.repository.artifacts, 'artifact', id);
  }

  /** Served from the catalog cache on SQLite (every exchange asks). */
  findByIri(iri: string): Promise<ArtifactEntity | null> {
    return this.cache.artifact(iri, () => this.repository.artifacts.findByIri(iri));
  }

  async update(id: string, dto: UpdateArtifactDto): Promise<ArtifactEntity> {
    const artifact = await this.get(id);
    return this.repository.artifacts.save({ ...artifact, ...dto, modified: this.clock.now().toISOString() });
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.catalog.removeWithFiles('artifact', id, () => this.repository.artifacts.delete(id));
  }

  /** Stores the bytes, then points the artifact at them; the file it replaces is removed only after that. */
  async upload(id: string, body: Readable): Promise<ArtifactEntity> {
    const artifact = await this.get(id);
    const blob = await this.blobs.write(body, this.settings.uploadMaxBytes);
    const previous = artifact.sourceType === 'upload' ? artifact.sourceLocation : null;
    try {
      const saved = await this.repository.artifacts.save({
        ...artifact,
        sourceType: 'upload',
        sourceLocation: blob.path,
        byteSize: blob.size,
        checksum: blob.sha256,
        modified: this.clock.now().toISOString(),
      });
      if (previous !== null) await this.blobs.remove(previous);
      return saved;
    } catch (error) {
      await this.blobs.remove(blob.path);
      throw error;
    }
  }

  /** The bytes as a stream; the media type is the source's, else the representation's. */
  async open(id: string): Promise<{ artifact: ArtifactEntity; data: ArtifactData }> {
    return this.openArtifact(await this.get(id));
  }

  /** The same for an artifact already read (the IDS handlers have it: one query less per exchange). */
  async openArtifact(artifact: ArtifactEntity): Promise<{ artifact: ArtifactEntity; data: ArtifactData }> {
    const data = await this.sources.open(artifact);
    const representation = await this.cache.representation(artifact.representationId, () =>
      this.repository.representations.findById(artifact.representationId),
    );
    const mediaType = data.mediaType ?? representation?.mediaType ?? undefined;
    return { artifact, data: { ...data, ...(mediaType === undefined ? {} : { mediaType }) } };
  }
}
