import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';

export const PROXY_MESSAGE_TYPES = [
  'DescriptionRequestMessage',
  'ContractRequestMessage',
  'ContractAgreementMessage',
  'ArtifactRequestMessage',
] as const;

/** TRUE Connector's data-app proxy request (TRUE doc/TEST_API.md; basic data app ProxyServiceImpl.parseIncommingProxyRequest). */
export class ProxyRequestDto {
  /** Transport to the remote connector. */
  @IsIn(['form', 'mixed', 'http-header'], { message: 'multipart must be form, mixed or http-header (wss and IDSCP2 are not supported)' })
  multipart!: 'form' | 'mixed' | 'http-header';

  /** The remote connector's IDS endpoint, e.g. https://ecc-provider:8889/data. */
  @ApiProperty({ name: 'Forward-To' })
  @Matches(/^https?:\/\/\S+$/, { message: 'Forward-To must be an http(s) URL' })
  'Forward-To'!: string;

  @IsIn(PROXY_MESSAGE_TYPES)
  messageType!: (typeof PROXY_MESSAGE_TYPES)[number];

  @IsOptional()
  @IsString()
  requestedElement?: string;

  @IsOptional()
  @IsString()
  requestedArtifact?: string;

  @IsOptional()
  @IsString()
  transferContract?: string;

  /** A JSON object or a string: the ids:ContractRequest, the ids:ContractAgreement, or an artifact request's payload. */
  @IsOptional()
  payload?: unknown;
}
