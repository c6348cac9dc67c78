import { WarehouseService } from '@invsync/domain-stock';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/api-schemas';
import { PageQuery } from '../common/paging';
import { CreateWarehouseDto, WarehouseResponse } from './inventory.dto';

@ApiTags('warehouses')
@ApiBearerAuth()
@Controller('warehouses')
export class WarehousesController {
  constructor(private readonly warehouses: WarehouseService) {}

  @Post()
  @ApiOperation({ summary: 'Create a warehouse', description: 'code is trimmed and unique ignoring case (409 on duplicate).' })
  @ApiCreatedResponse({ type: WarehouseResponse })
  @ApiConflictResponse({ description: 'warehouse-code-unique' })
  create(@Body() body: CreateWarehouseDto) {
    return this.warehouses.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List warehouses (by code)', description: 'Answers {items, nextCursor}.' })
  @ApiPageResponse(WarehouseResponse)
  list(@Query() query: PageQuery) {
    return this.warehouses.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: WarehouseResponse })
  get(@Param('id') id: string) {
    return this.warehouses.get(id);
  }
}
