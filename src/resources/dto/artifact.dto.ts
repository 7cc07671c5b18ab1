import { PartialType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';

export class CreateArtifactDto {
  @IsUUID()
  representationId!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;

  /**
   * Where the bytes come from: `upload` (send them with PUT /api/artifacts/{id}/data), `file` (a path on this
   * node), `http` (a URL fetched when a consumer asks), `data-app` (an output of a data app, `<app>/<output>`).
   */
  @IsOptional()
  @IsIn(['upload', 'file', 'http', 'data-app'])
  sourceType?: 'upload' | 'file' | 'http' | 'data-app' = 'upload';

  /** File path (`file`), URL (`http`) or `<app>/<output>` (`data-app`). */
  @ValidateIf((o: CreateArtifactDto) => o.sourceType === 'file' || o.sourceType === 'http' || o.sourceType === 'data-app')
  @IsString()
  @MaxLength(4096)
  sourceLocation?: string;
}

export class UpdateArtifactDto extends PartialType(PickType(CreateArtifactDto, ['fileName'] as const)) {}

export class ArtifactQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  representationId?: string;
}

export class ArtifactView {
  id!: string;
  iri!: string;
  representationId!: string;
  fileName!: string | null;
  byteSize!: number | null;
  /** Lower-case hex SHA-256. */
  checksum!: string | null;
  creationDate!: string;
  sourceType!: string;
  sourceLocation!: string | null;
  created!: string;
  modified!: string;
}
