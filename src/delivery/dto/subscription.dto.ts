import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';

const HTTP_URL = /^https?:\/\/\S+$/;
const IRI = /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/;

/** A webhook: a local system told of each change of `target` by an HTTP POST (the Dataspace Connector's fields). */
export class CreateWebhookDto {
  /** `@id` of a resource, representation or artifact of this connector's catalog. */
  @Matches(IRI, { message: 'target must be the IRI of a resource, representation or artifact' })
  target!: string;

  /** The http(s) URL each change is POSTed to. */
  @Matches(HTTP_URL, { message: 'location must be an http(s) URL' })
  location!: string;

  /** Names the subscribing system (defaults to the location). */
  @IsOptional()
  @Matches(IRI, { message: 'subscriber must be a URI' })
  subscriber?: string;

  /** Carry the new data in each POST (JSON, or base64 for other media types, up to 8 MiB). */
  @IsOptional()
  @IsBoolean()
  pushData?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

/** Subscribe at a provider connector (it receives an ids:RequestMessage with this subscription). */
export class ConsumerSubscribeDto {
  /** The provider's IDS endpoint, e.g. https://provider:8443/data. */
  @Matches(HTTP_URL, { message: 'recipient must be the http(s) URL of the provider’s IDS endpoint' })
  recipient!: string;

  /** `@id` of the provider's offer (resource), representation or artifact; an artifact for pushData. */
  @Matches(IRI, { message: 'target must be the IRI of the remote resource, representation or artifact' })
  target!: string;

  /** The provider pushes the new data with each notification, each push a use under your agreement. */
  @IsBoolean()
  pushData!: boolean;

  /** Where the provider sends its ids:ResourceUpdateMessages; this connector's `FEP_PUBLIC_URL/data` by default. */
  @IsOptional()
  @Matches(HTTP_URL, { message: 'location must be an http(s) URL' })
  location?: string;

  /** A local backend told (HTTP POST) of each notification received, with the id of the received data. */
  @IsOptional()
  @Matches(HTTP_URL, { message: 'webhook must be an http(s) URL' })
  webhook?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class SubscriptionPageDto extends PageQueryDto {}

export class NotificationPageDto extends PageQueryDto {
  /** Only the notifications of this subscription. */
  @IsOptional()
  @IsString()
  subscription?: string;
}
