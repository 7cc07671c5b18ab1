import { PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateCatalogDto {
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;
}

export class UpdateCatalogDto extends PartialType(CreateCatalogDto) {}

export class CatalogView {
  id!: string;
  /** The `@id` in the self-description. */
  iri!: string;
  title!: string | null;
  description!: string | null;
  created!: string;
  modified!: string;
}
