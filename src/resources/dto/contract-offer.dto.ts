import { IsObject, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';

export class CreateContractOfferDto {
  @IsUUID()
  resourceId!: string;

  /**
   * The `ids:ContractOffer` as infomodel JSON-LD, with `ids:permission`, `ids:prohibition` and/or
   * `ids:obligation` rules. Rules without an `@id` get one.
   * @example {"ids:permission":[{"@type":"ids:Permission","ids:action":[{"@id":"https://w3id.org/idsa/code/USE"}]}]}
   */
  @IsObject()
  offer!: Record<string, unknown>;
}

export class UpdateContractOfferDto {
  /** The new `ids:ContractOffer` JSON-LD (replaces the rules; the offer keeps its `@id`). */
  @IsOptional()
  @IsObject()
  offer?: Record<string, unknown>;
}

export class ContractOfferQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID()
  resourceId?: string;
}

export class ContractOfferView {
  id!: string;
  iri!: string;
  resourceId!: string;
  /** The offer as infomodel JSON-LD. */
  document!: Record<string, unknown>;
  created!: string;
  modified!: string;
}
