import { AvailabilityService } from '@invsync/domain-availability';
import { CatalogService } from '@invsync/domain-catalog';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPageResponse } from '../common/api-schemas';
import { CreateProductDto, InventoryQuery, ListProductsQuery, ProductInventoryResponse, ProductResponse, SKU_RULE } from './inventory.dto';

@ApiTags('products')
@ApiBearerAuth()
@Controller('products')
export class ProductsController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly availability: AvailabilityService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create a product, variant or bundle',
    description:
      `${SKU_RULE} A variant is a "stock" product with parentId (a product of kind "parent"). ` +
      'A bundle needs 1..40 distinct components of kind "stock" with positive integer quantities; it holds no stock. ' +
      '400: malformed field; 404: unknown parent or component; 409: duplicate SKU, parent not of kind "parent", component not of kind "stock".',
  })
  @ApiCreatedResponse({ type: ProductResponse })
  @ApiConflictResponse({ description: 'sku-unique, variant-parent, bundle-components' })
  create(@Body() body: CreateProductDto) {
    return this.catalog.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List products (by SKU); ?sku= finds one SKU case-insensitively, ?skuPrefix= the SKUs starting with it', description: 'Answers {items, nextCursor}.' })
  @ApiPageResponse(ProductResponse)
  list(@Query() query: ListProductsQuery) {
    return this.catalog.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProductResponse })
  @ApiNotFoundResponse()
  get(@Param('id') id: string) {
    return this.catalog.get(id);
  }

  @Get(':id/inventory')
  @ApiOkResponse({ type: ProductInventoryResponse })
  @ApiOperation({
    summary: 'Levels of a product per warehouse and in total',
    description:
      'Answers {productId, kind, warehouses:[{warehouseId, code, inStock, allocated, onHand}], total:{inStock, allocated, onHand}}. ' +
      'For a bundle, onHand per warehouse is min over components of floor(component on hand / quantity) in that warehouse ' +
      '(summed for the total), inStock/allocated are 0, and each warehouse lists its components\' onHand and canMake.',
  })
  @ApiNotFoundResponse()
  inventory(@Param('id') id: string, @Query() query: InventoryQuery) {
    const warehouseIds = query.warehouseIds
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return this.availability.breakdown(id, warehouseIds);
  }
}
