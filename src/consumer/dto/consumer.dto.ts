import { IsIn, IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';

const URL = /^https?:\/\/\S+$/;

export class DescribeRemoteDto {
  /** The remote connector's IDS endpoint, e.g. https://provider:8443/data. */
  @Matches(URL, { message: 'url must be the http(s) URL of the remote IDS endpoint' })
  url!: string;

  /** `@id` of one catalog element (resource, representation, artifact, offer); the whole self-description when omitted. */
  @IsOptional()
  @IsString()
  elementId?: string;

  /** Transport for this call; else the one configured for the peer, else FEP_IDS_TRANSPORT. */
  @IsOptional()
  @IsIn(['form', 'mixed', 'http-header'])
  transport?: 'form' | 'mixed' | 'http-header';
}

export class NegotiateDto extends DescribeRemoteDto {
  /**
   * The `ids:ContractOffer` to accept, as the remote description lists it (or an `ids:ContractRequest` narrowing
   * it). The agreement that comes back is confirmed and kept.
   */
  @IsObject()
  offer!: Record<string, unknown>;
}

export class FetchDto extends DescribeRemoteDto {
  /** `@id` of the remote artifact. */
  @IsString()
  artifact!: string;

  /** `@id` of the contract agreement to fetch it under. */
  @IsString()
  agreement!: string;
}

export class ConsumerPageDto extends PageQueryDto {}
