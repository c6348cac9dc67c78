/** Amazon's marketplaces by SP-API region (public IDs; the plugin checks a marketplace belongs to its region). */
export const REGIONS = [
  { value: 'EU', label: 'Europe (EU)' },
  { value: 'NA', label: 'North America (NA)' },
  { value: 'FE', label: 'Far East (FE)' },
];

const TABLE: Array<[string, string, string]> = [
  ['NA', 'Canada', 'A2EUQ1WTGCTBG2'],
  ['NA', 'United States', 'ATVPDKIKX0DER'],
  ['NA', 'Mexico', 'A1AM78C64UM0Y8'],
  ['NA', 'Brazil', 'A2Q3Y263D00KWC'],
  ['EU', 'Ireland', 'A28R8C7NBKEWEA'],
  ['EU', 'Spain', 'A1RKKUPIHCS9HS'],
  ['EU', 'United Kingdom', 'A1F83G8C2ARO7P'],
  ['EU', 'France', 'A13V1IB3VIYZZH'],
  ['EU', 'Belgium', 'AMEN7PMS3EDWL'],
  ['EU', 'Netherlands', 'A1805IZSGTT6HS'],
  ['EU', 'Germany', 'A1PA6795UKMFR9'],
  ['EU', 'Italy', 'APJ6JRA9NG5V4'],
  ['EU', 'Sweden', 'A2NODRKZP88ZB9'],
  ['EU', 'South Africa', 'AE08WJ6YKNBMC'],
  ['EU', 'Poland', 'A1C3SOZRARQ6R3'],
  ['EU', 'Egypt', 'ARBP9OOSHTCHU'],
  ['EU', 'Turkey', 'A33AVAJ2PDY3EV'],
  ['EU', 'Saudi Arabia', 'A17E79C6D8DWNP'],
  ['EU', 'United Arab Emirates', 'A2VIGQ35RCS4UG'],
  ['EU', 'India', 'A21TJRUUN4KGV'],
  ['FE', 'Singapore', 'A19VAU5U5O7RUS'],
  ['FE', 'Australia', 'A39IBJ37TRP1C6'],
  ['FE', 'Japan', 'A1VC38T7YXB528'],
];

export function marketplacesOf(region: string | null): Array<{ value: string; label: string }> {
  return TABLE.filter(([r]) => r === region).map(([, country, id]) => ({ value: id, label: `${country} (${id})` }));
}

export function marketplaceName(id: string): string {
  return TABLE.find(([, , m]) => m === id)?.[1] ?? id;
}
