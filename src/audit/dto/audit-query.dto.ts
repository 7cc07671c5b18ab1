import { IsIn, IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';

export class AuditQueryDto extends PageQueryDto {
  /** Only this message type, e.g. ids:ArtifactRequestMessage. */
  @IsOptional()
  @IsString()
  type?: string;

  @IsOptional()
  @IsIn(['inbound', 'outbound'])
  direction?: 'inbound' | 'outbound';
}
