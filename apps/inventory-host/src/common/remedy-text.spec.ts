import { NotFoundError, RuleViolationError } from '@invsync/domain-shared';
import { HOST_VOCABULARY } from '../channels/api-vocabulary';
import { messageWithRemedy, withRemedyInMessage } from './remedy-text';

describe('remedy text', () => {
  it('renders each remedy after the message as the API has always answered it', () => {
    expect(messageWithRemedy(new NotFoundError('No warehouse with id "w9".').withRemedy({ action: 'list-warehouses' }))).toBe(
      'No warehouse with id "w9". GET /api/v1/warehouses lists them.',
    );
    expect(
      messageWithRemedy(
        new RuleViolationError('Channel "EU" has no allocation warehouse, so its orders cannot be allocated.', 'r').withRemedy({
          action: 'set-channel-setting',
          params: { channelId: 'c1', setting: 'allocationWarehouseId' },
        }),
      ),
    ).toBe('Channel "EU" has no allocation warehouse, so its orders cannot be allocated. Set settings.allocationWarehouseId (PATCH /api/v1/channels/c1/settings).');
    expect(messageWithRemedy(new RuleViolationError('No.', 'r').withRemedy({ action: 'relist', params: { listingId: 'l1' } }))).toBe(
      'No. Relist instead: disconnect listing l1 (DELETE /api/v1/listings/l1) and connect the new SKU.',
    );
    const managed = new RuleViolationError('No.', 'r').withRemedy({ action: 'set-managed-warehouse', params: { channelId: 'c1', channelType: 'held' } });
    expect(messageWithRemedy(managed)).toBe(
      'No. Create a warehouse that mirrors the stock the channel holds (POST /api/v1/warehouses) and set it as settings.managedWarehouseId (PATCH /api/v1/channels/c1/settings).',
    );
    const refused = new RuleViolationError('No (a).', 'r').withRemedy({ action: 'select-listed-discrepancies', params: { channelId: 'c1', channelType: 'held' } });
    expect(messageWithRemedy(refused)).toBe('No (a). Nothing was corrected: select only products listed by GET /api/v1/channels/c1/managed-warehouse-discrepancies.');
    expect(messageWithRemedy(new NotFoundError('No product.'))).toBe('No product.');
  });

  it("uses the channel type's words for its managed warehouse and tool", () => {
    const words = (type: string) => ({ ...HOST_VOCABULARY, ...(type === 'held' ? { managedWarehouseSetting: 'mirrorId', managedWarehouseTool: 'net' } : {}) });
    expect(messageWithRemedy(new RuleViolationError('No.', 'r').withRemedy({ action: 'set-managed-warehouse', params: { channelId: 'c1', channelType: 'held' } }), words)).toMatch(
      /set it as settings\.mirrorId \(PATCH/,
    );
    expect(
      messageWithRemedy(new RuleViolationError('No.', 'r').withRemedy({ action: 'select-listed-discrepancies', params: { channelId: 'c1', channelType: 'held' } }), words),
    ).toMatch(/GET \/api\/v1\/channels\/c1\/net-discrepancies\.$/);
    expect(messageWithRemedy(new NotFoundError('No product.'))).toBe('No product.');
  });

  it('writes the remedy into the message of a copy of the same class, rule and details', () => {
    const err = new RuleViolationError('No.', 'a-rule', { x: 1 }).withRemedy({ action: 'relist', params: { listingId: 'l1' } });
    const out = withRemedyInMessage(err) as RuleViolationError;
    expect(out).toBeInstanceOf(RuleViolationError);
    expect(out.rule).toBe('a-rule');
    expect(out.details).toEqual({ x: 1 });
    expect(out.remedy).toBeUndefined();
    expect(out.message).toBe(messageWithRemedy(err));
    const plain = new Error('x');
    expect(withRemedyInMessage(plain)).toBe(plain);
  });
});
