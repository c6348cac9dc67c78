import { Button, NumberInput, SimpleGrid, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, type Channel, type Listing, type QuantityRules, type RuleKey } from '../api';
import { ErrorAlert } from '../ui';

/** The rules as the domain applies them (libs/domain/channels quantity-rules.ts), in the order the channel settings show them. */
const RULES: ReadonlyArray<{ key: RuleKey; label: string; help: string; max?: number }> = [
  { key: 'reserve', label: 'Reserve', help: 'Hold back this many units.' },
  { key: 'percentage', label: 'Percentage', help: 'Publish this percentage of what is left, rounded down (0 to 100).', max: 100 },
  { key: 'maxQuantity', label: 'Maximum quantity', help: 'Never list more than this.' },
  { key: 'zeroAtOrBelow', label: 'Zero at or below', help: 'Send 0 when on hand is at or below this.' },
];

const ruleOf = (rules: QuantityRules | Record<string, unknown> | undefined, k: RuleKey): number | null => {
  const v = rules?.[k];
  return typeof v === 'number' ? v : null;
};

/**
 * A listing's own quantity rules: each override with the channel's rule it replaces. Save sends only
 * the fields changed (`null`: use the channel's rule again); the API judges the values, so a refused
 * one shows its 400 and nothing is stored.
 */
export function ListingRules({ listing, onSaved }: { listing: Listing; onSaved: () => void }) {
  const headingId = useId();
  const client = useQueryClient();
  const channel = useQuery({ queryKey: ['channel', listing.channelId], queryFn: () => api.get<Channel>(`/channels/${listing.channelId}`) });
  /** What the person changed, by rule (null: clear the override). */
  const [draft, setDraft] = useState<QuantityRules>({});
  const stored = (k: RuleKey) => ruleOf(listing.overrides, k);
  const shown = (k: RuleKey) => (k in draft ? (draft[k] ?? null) : stored(k));
  const changed = RULES.map((r) => r.key).filter((k) => k in draft && shown(k) !== stored(k));
  const save = useMutation({
    mutationFn: (body: QuantityRules) => api.patch<Listing>(`/listings/${listing.id}`, body),
    onSuccess: (saved) => {
      // The stored values at once (no flash of the old ones), then the listing, explain and list again.
      client.setQueryData(['listing', listing.id], saved);
      setDraft({});
      onSaved();
    },
  });
  const edit = (k: RuleKey, v: number | null) => {
    save.reset();
    setDraft((d) => ({ ...d, [k]: v }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(Object.fromEntries(changed.map((k) => [k, shown(k)])));
  };
  return (
    <form onSubmit={submit} aria-labelledby={headingId}>
      <Stack gap="sm">
        <Title order={3} size="h5" id={headingId}>
          Rules for this listing
        </Title>
        <Text size="sm">An empty field uses the channel's rule. The listing's own value overrides it.</Text>
        <SimpleGrid cols={2}>
          {RULES.map(({ key, label, help, max }) => {
            const ch = ruleOf(channel.data?.settings, key);
            const value = shown(key);
            return (
              <Stack key={key} gap={4} role="group" aria-label={label}>
                <NumberInput
                  label={label}
                  description={
                    <>
                      {help} Channel's rule: {channel.data ? (ch ?? 'none') : '…'}
                      {stored(key) !== null ? '; this listing overrides it.' : ''}
                    </>
                  }
                  placeholder={ch === null ? "Channel's rule: none" : `Channel's rule: ${ch}`}
                  min={0}
                  max={max}
                  clampBehavior="none"
                  allowDecimal={false}
                  allowNegative={false}
                  value={value ?? ''}
                  onChange={(v) => edit(key, typeof v === 'number' ? v : null)}
                />
                <Button variant="subtle" size="compact-sm" style={{ alignSelf: 'flex-start' }} disabled={value === null} onClick={() => edit(key, null)}>
                  Use the channel's rule<VisuallyHidden> for {label.toLowerCase()}</VisuallyHidden>
                </Button>
              </Stack>
            );
          })}
        </SimpleGrid>
        <ErrorAlert error={channel.error || save.error} />
        {save.isSuccess && changed.length === 0 && (
          <Text size="sm" role="status" c="green.9">
            Saved.
          </Text>
        )}
        <Button type="submit" style={{ alignSelf: 'flex-start' }} loading={save.isPending} disabled={changed.length === 0}>
          Save rules
        </Button>
      </Stack>
    </form>
  );
}
