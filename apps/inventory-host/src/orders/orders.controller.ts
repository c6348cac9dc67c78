import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/api-schemas';
import { OrderResponse } from './orders.responses';
import type { Response } from 'express';
import { OrderService } from '@invsync/domain-orders';
import { CreateOrderDto, ListOrdersQueryDto } from './orders.dto';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrderService) {}

  @Post()
  @ApiOperation({
    summary:
      "Record an order; a line's SKU resolves through the channel's listings, then the product SKUs. Allocated: 201. Kept parked (unknown SKU, no allocation warehouse; nothing allocated, recorded once resolved): 202 with parkedReason. A repeat answers the existing order (200).",
  })
  @ApiCreatedResponse({ type: OrderResponse, description: 'Recorded and allocated' })
  @ApiAcceptedResponse({ type: OrderResponse, description: 'Kept parked: see parkedReason' })
  @ApiOkResponse({ type: OrderResponse, description: 'A repeat of (channelId, externalId): the order already recorded' })
  async create(@Body() body: CreateOrderDto, @Res({ passthrough: true }) res: Response) {
    const { order, created } = await this.orders.record({ ...body, actor: 'admin-api' });
    res.status(!created ? 200 : order.status === 'parked' ? 202 : 201);
    return order;
  }

  @Get()
  @ApiPageResponse(OrderResponse)
  @ApiOperation({ summary: 'Orders, newest first, filtered by channel, status (parked included) and creation time; paged' })
  list(@Query() q: ListOrdersQueryDto) {
    return this.orders.list(q);
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderResponse })
  get(@Param('id') id: string) {
    return this.orders.get(id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderResponse })
  @ApiOperation({ summary: 'Record a parked order now (409 with the reason if it still cannot be); any other order is answered as it is' })
  retry(@Param('id') id: string) {
    return this.orders.retry(id, 'admin-api');
  }

  @Post(':id/ship')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderResponse })
  ship(@Param('id') id: string) {
    return this.orders.ship(id, 'admin-api');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderResponse })
  @ApiOperation({ summary: 'Cancel an open order (its allocation is released) or a parked one' })
  cancel(@Param('id') id: string) {
    return this.orders.cancel(id, 'admin-api');
  }
}
