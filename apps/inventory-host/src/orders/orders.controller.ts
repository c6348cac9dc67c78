import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrderResponse } from './orders.responses';
import type { Response } from 'express';
import { OrderService } from '@invsync/domain-orders';
import { CreateOrderDto } from './orders.dto';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrderService) {}

  @Post()
  @ApiOperation({ summary: "Record an order; allocates from the channel's allocation warehouse. A repeat answers the existing order (200)." })
  @ApiCreatedResponse({ type: OrderResponse })
  @ApiOkResponse({ type: OrderResponse, description: 'A repeat of (channelId, externalId): the order already recorded' })
  async create(@Body() body: CreateOrderDto, @Res({ passthrough: true }) res: Response) {
    const { order, created } = await this.orders.record({ ...body, actor: 'admin-api' });
    res.status(created ? 201 : 200);
    return order;
  }

  @Get(':id')
  @ApiOkResponse({ type: OrderResponse })
  get(@Param('id') id: string) {
    return this.orders.get(id);
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
  cancel(@Param('id') id: string) {
    return this.orders.cancel(id, 'admin-api');
  }
}
