import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';

export class PatternChoiceDto {
  /** A pattern name from GET /api/policies/patterns, e.g. N_TIMES_USAGE. */
  @IsString()
  pattern!: string;

  /** The pattern's parameters by name, e.g. {"count": "5"}. */
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

export class BuildOfferDto {
  /** The artifact IRI the offer is for. */
  @IsString()
  target!: string;

  /** One pattern (or use `patterns` to combine several on one permission). */
  @IsOptional()
  @IsString()
  pattern?: string;

  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;

  /** Several patterns on one permission: all must hold (a conjunction). */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => PatternChoiceDto)
  patterns?: PatternChoiceDto[];
}

export class UsageLogQueryDto extends PageQueryDto {
  /** Only the records of this agreement IRI. */
  @IsOptional()
  @IsString()
  agreement?: string;
}
