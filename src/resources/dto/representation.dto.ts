import { OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';
import { REPRESENTATION_TYPES } from '../../ids/infomodel/vocabulary.js';

export class CreateRepresentationDto {
  @IsUUID()
  resourceId!: string;

  /** Information-model class; by default the one the resource's class requires (ids:DataResource: ids:DataRepresentation). */
  @IsOptional()
  @IsIn(REPRESENTATION_TYPES)
  type?: string;

  /** IANA media type, e.g. `application/json`. */
  @IsOptional()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'mediaType must be an IANA media type such as application/json' })
  mediaType?: string;

  /** idsc language code, e.g. `EN`. */
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'language must be a two-letter upper-case language code such as EN' })
  language?: string;
}

export class UpdateRepresentationDto extends PartialType(OmitType(CreateRepresentationDto, ['resourceId'] as const)) {}

export class RepresentationQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  resourceId?: string;
}

export class RepresentationView {
  id!: string;
  iri!: string;
  resourceId!: string;
  type!: string;
  mediaType!: string | null;
  language!: string | null;
  created!: string;
  modified!: string;
}
