import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';

/** A time range (ISO 8601, inclusive) and one asset, over a paginated list. */
class RangeQueryDto extends PageQueryDto {
  /** From this time on (ISO 8601), e.g. 2026-12-01T08:00:00Z. */
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  /** Up to this time (ISO 8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class OutputHistoryQueryDto extends RangeQueryDto {
  /** Only values of this asset or zone (a pump id, a zone name). */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  key?: string;
}

export class WindowQueryDto extends RangeQueryDto {
  /** Only windows of this asset (a pump id). */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  asset?: string;

  /** Only windows of this channel (a sensor). */
  @IsOptional()
  @IsString()
  @MaxLength(128)
  channel?: string;
}
