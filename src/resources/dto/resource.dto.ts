import { OmitType, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';
import { RESOURCE_TYPES } from '../../ids/infomodel/vocabulary.js';

const IRI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;

export class CreateResourceDto {
  /** Catalog to offer it in; the default catalog when omitted. */
  @IsOptional()
  @IsUUID()
  catalogId?: string;

  /** Information-model class of the resource. */
  @IsOptional()
  @IsIn(RESOURCE_TYPES)
  type?: string = 'ids:DataResource';

  @IsString()
  @MaxLength(1000)
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  keywords?: string[];

  /** idsc language codes, e.g. `EN`, `DE`. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'each value in languages must be a two-letter upper-case language code such as EN' })
  languages?: string[];

  /** IRI of the publishing participant. */
  @IsOptional()
  @Matches(IRI, { message: 'publisher must be an absolute IRI' })
  publisher?: string;

  /** IRI of the participant owning the data. */
  @IsOptional()
  @Matches(IRI, { message: 'sovereign must be an absolute IRI' })
  sovereign?: string;

  /** IRI of the licence (`ids:standardLicense`). */
  @IsOptional()
  @Matches(IRI, { message: 'license must be an absolute IRI' })
  license?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  version?: string;
}

export class UpdateResourceDto extends PartialType(OmitType(CreateResourceDto, ['catalogId'] as const)) {}

export class ResourceQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  catalogId?: string;
}

export class ResourceView {
  id!: string;
  iri!: string;
  catalogId!: string;
  type!: string;
  title!: string;
  description!: string | null;
  keywords!: string[];
  languages!: string[];
  publisher!: string | null;
  sovereign!: string | null;
  license!: string | null;
  version!: string | null;
  created!: string;
  modified!: string;
}
