import { Controller, Get, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Page } from '../common/page.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

/** Everything sent and received, newest first (TRUE Connector: `/api/audit/`). */
@ApiTags('audit')
@ApiBasicAuth()
@Controller('api/audit')
export class AuditController {
  constructor(private readonly dataSource: DataSource) {}

  @ApiOperation({ summary: 'The local audit log: every IDS message sent and received (filters type, direction)' })
  @Get()
  async list(@Query() q: AuditQueryDto): Promise<Page<AuditEventEntity>> {
    const where = { ...(q.type ? { messageType: q.type } : {}), ...(q.direction ? { direction: q.direction } : {}) };
    const [items, total] = await this.dataSource.manager.findAndCount(AuditEventEntity, {
      where,
      order: { seq: 'DESC' },
      skip: q.page * q.size,
      take: q.size,
    });
    return { items, page: q.page, size: q.size, total };
  }
}
