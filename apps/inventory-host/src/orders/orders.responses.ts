import { ApiProperty } from '@nestjs/swagger';

export class OrderLineResponse {
  @ApiProperty({ description: "The line's SKU as the channel gave it" }) sku: string;
  @ApiProperty({ nullable: true, type: String, description: 'Null while the order is parked on this SKU' }) productId: string | null;
  @ApiProperty() quantity: number;
  @ApiProperty() allocated: number;
  @ApiProperty({ description: 'Units that could not be allocated' }) backordered: number;
}

export class OrderResponse {
  @ApiProperty() id: string;
  @ApiProperty() channelId: string;
  @ApiProperty({ description: "The channel's order id" }) externalId: string;
  @ApiProperty({ example: 'open', description: 'open, shipped, cancelled (and parked where lines could not be resolved)' }) status: string;
  @ApiProperty({ description: 'Fulfilled by the channel itself: nothing allocated here' }) fulfilledByChannel: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Where the lines were allocated' }) warehouseId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why a parked order is waiting, and what to do' }) parkedReason: string | null;
  @ApiProperty({ type: [OrderLineResponse] }) lines: OrderLineResponse[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
