import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FREE_OBJECT } from '../common/api-schemas';

const FULFILMENT = { enum: ['merchant', 'channel'], description: 'Who fulfils orders: the merchant (we send quantities) or the channel (it holds the stock)' };
const FULFILLMENT_LABEL = { example: 'MFN', description: "The fulfilment as the channel type names it (its vocabulary; the host's default: merchant / channel)" };
const LISTING_STATUS = ['pending', 'sent', 'synced', 'error', 'disabled', 'conflict'];

export class QuantityRulesResponse {
  @ApiPropertyOptional({ nullable: true, type: Number }) reserve?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) percentage?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) maxQuantity?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) zeroAtOrBelow?: number | null;
}

export class ChannelHealthResponse {
  @ApiProperty({ nullable: true, type: Boolean, description: 'Null until checked' }) ok: boolean | null;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
  @ApiProperty({ nullable: true, type: String }) checkedAt: string | null;
}

export class ChannelResponseDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'amazon-mfn' }) type: string;
  @ApiProperty() name: string;
  @ApiProperty(FULFILMENT) fulfilment: string;
  @ApiProperty(FULFILLMENT_LABEL) fulfillment: string;
  @ApiProperty() marketplaceId: string;
  @ApiProperty() accountId: string;
  @ApiProperty({ description: 'Listings of one pool and SKU share one quantity on the channel' }) quantityPool: string;
  @ApiProperty({ ...FREE_OBJECT, description: "The host's settings and the plugin's, flat; secrets only as {set: true}" }) settings: Record<string, unknown>;
  @ApiProperty({ type: ChannelHealthResponse }) health: ChannelHealthResponse;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class ChannelSettingsUpdatedResponse extends ChannelResponseDto {
  @ApiProperty({ description: 'Every listing was marked to be sent again (sync switched back on)' }) resent: boolean;
}

export class ListingResponse {
  @ApiProperty() id: string;
  @ApiProperty() channelId: string;
  @ApiProperty() sku: string;
  @ApiProperty() marketplaceId: string;
  @ApiProperty() productId: string;
  @ApiProperty(FULFILMENT) fulfilment: string;
  @ApiProperty(FULFILLMENT_LABEL) fulfillment: string;
  @ApiProperty() syncEnabled: boolean;
  @ApiProperty({ type: QuantityRulesResponse, description: "Overrides of the channel's rules" }) overrides: QuantityRulesResponse;
  @ApiProperty({ enum: LISTING_STATUS }) status: string;
  @ApiProperty() createdAt: string;
}

export class LiveListingResponse {
  @ApiProperty() listingId: string;
  @ApiProperty() sku: string;
  @ApiProperty() marketplaceId: string;
  @ApiProperty() productId: string;
  @ApiProperty({ nullable: true, type: String, description: "The connected product's SKU" }) productSku: string | null;
  @ApiProperty(FULFILMENT) fulfilment: string;
  @ApiProperty(FULFILLMENT_LABEL) fulfillment: string;
  @ApiProperty({ nullable: true, type: Number, description: 'Merchant-fulfilled: what the channel was given at its last accepted send (withheld units taken off); channel-fulfilled: what the channel reports as sellable' })
  quantity: number | null;
  @ApiProperty({ enum: LISTING_STATUS }) status: string;
  @ApiProperty({ nullable: true, type: String }) lastSentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Merchant-fulfilled: the quantity last computed from on hand' }) computedQuantity?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) reserved?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) inbound?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) unfulfillable?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Channel-fulfilled: when the channel last showed it' }) readAt?: string | null;
  @ApiPropertyOptional({ description: 'Channel-fulfilled: read longer ago than the channel type allows, or missing from the latest read' }) stale?: boolean;
  @ApiPropertyOptional({ description: "Merchant-fulfilled: units held back at the last accepted send: the channel sold them and their order was not recorded yet (docs/reliability.md, unrecorded sales)" })
  withheld?: number;
}

class ExplainChannel {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() syncInventory: boolean;
  @ApiProperty({ type: [String] }) onHandWarehouseIds: string[];
}

class ExplainComponent {
  @ApiProperty() productId: string;
  @ApiProperty() perBundle: number;
  @ApiProperty() onHand: number;
  @ApiProperty() bundlesPossible: number;
}

class ExplainWarehouse {
  @ApiProperty() warehouseId: string;
  @ApiProperty() onHand: number;
  @ApiPropertyOptional({ type: [ExplainComponent] }) components?: ExplainComponent[];
}

class ExplainStep {
  @ApiProperty({ example: 'reserve', description: 'on-hand, then each rule in order (reserve, percentage, maxQuantity, zeroAtOrBelow, ...)' }) rule: string;
  @ApiPropertyOptional({ description: "The rule's setting" }) setting?: number;
  @ApiProperty({ description: 'The quantity after this step' }) quantity: number;
  @ApiProperty() note: string;
}

class QuantityAt {
  @ApiProperty({ nullable: true, type: Number }) quantity: number | null;
  @ApiProperty({ nullable: true, type: String }) at: string | null;
}

export class ExplanationResponse {
  @ApiProperty() listingId: string;
  @ApiProperty() sku: string;
  @ApiProperty() productId: string;
  @ApiProperty() productKind: string;
  @ApiProperty({ type: ExplainChannel }) channel: ExplainChannel;
  @ApiProperty({ type: [ExplainWarehouse] }) warehouses: ExplainWarehouse[];
  @ApiProperty() onHand: number;
  @ApiProperty({ type: QuantityRulesResponse }) rules: QuantityRulesResponse;
  @ApiProperty({ type: [ExplainStep] }) steps: ExplainStep[];
  @ApiProperty({ description: 'The quantity the listing should show' }) quantity: number;
  @ApiProperty({ type: QuantityAt }) lastSent: QuantityAt;
  @ApiProperty({ type: QuantityAt }) channelAccepted: QuantityAt;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
}
