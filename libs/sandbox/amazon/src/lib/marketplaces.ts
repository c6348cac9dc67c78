/**
 * Amazon's regions and marketplaces as the sandbox knows them (its own table: the sandbox is an
 * independent implementation of Amazon's behaviour and imports nothing of the client).
 */
export type SandboxRegion = 'NA' | 'EU' | 'FE';

export interface SandboxMarketplace {
  id: string;
  region: SandboxRegion;
  countryCode: string;
  name: string;
  defaultCurrencyCode: string;
  defaultLanguageCode: string;
  domainName: string;
  /** FBA fulfillment channel code of AFN listings in this marketplace. */
  afnChannelCode: string;
}

const rows: Array<[SandboxRegion, string, string, string, string, string, string]> = [
  ['NA', 'A2EUQ1WTGCTBG2', 'CA', 'Amazon.ca', 'CAD', 'en_CA', 'www.amazon.ca'],
  ['NA', 'ATVPDKIKX0DER', 'US', 'Amazon.com', 'USD', 'en_US', 'www.amazon.com'],
  ['NA', 'A1AM78C64UM0Y8', 'MX', 'Amazon.com.mx', 'MXN', 'es_MX', 'www.amazon.com.mx'],
  ['NA', 'A2Q3Y263D00KWC', 'BR', 'Amazon.com.br', 'BRL', 'pt_BR', 'www.amazon.com.br'],
  ['EU', 'A28R8C7NBKEWEA', 'IE', 'Amazon.ie', 'EUR', 'en_IE', 'www.amazon.ie'],
  ['EU', 'A1RKKUPIHCS9HS', 'ES', 'Amazon.es', 'EUR', 'es_ES', 'www.amazon.es'],
  ['EU', 'A1F83G8C2ARO7P', 'GB', 'Amazon.co.uk', 'GBP', 'en_GB', 'www.amazon.co.uk'],
  ['EU', 'A13V1IB3VIYZZH', 'FR', 'Amazon.fr', 'EUR', 'fr_FR', 'www.amazon.fr'],
  ['EU', 'AMEN7PMS3EDWL', 'BE', 'Amazon.com.be', 'EUR', 'fr_BE', 'www.amazon.com.be'],
  ['EU', 'A1805IZSGTT6HS', 'NL', 'Amazon.nl', 'EUR', 'nl_NL', 'www.amazon.nl'],
  ['EU', 'A1PA6795UKMFR9', 'DE', 'Amazon.de', 'EUR', 'de_DE', 'www.amazon.de'],
  ['EU', 'APJ6JRA9NG5V4', 'IT', 'Amazon.it', 'EUR', 'it_IT', 'www.amazon.it'],
  ['EU', 'A2NODRKZP88ZB9', 'SE', 'Amazon.se', 'SEK', 'sv_SE', 'www.amazon.se'],
  ['EU', 'AE08WJ6YKNBMC', 'ZA', 'Amazon.co.za', 'ZAR', 'en_ZA', 'www.amazon.co.za'],
  ['EU', 'A1C3SOZRARQ6R3', 'PL', 'Amazon.pl', 'PLN', 'pl_PL', 'www.amazon.pl'],
  ['EU', 'ARBP9OOSHTCHU', 'EG', 'Amazon.eg', 'EGP', 'ar_EG', 'www.amazon.eg'],
  ['EU', 'A33AVAJ2PDY3EV', 'TR', 'Amazon.com.tr', 'TRY', 'tr_TR', 'www.amazon.com.tr'],
  ['EU', 'A17E79C6D8DWNP', 'SA', 'Amazon.sa', 'SAR', 'ar_SA', 'www.amazon.sa'],
  ['EU', 'A2VIGQ35RCS4UG', 'AE', 'Amazon.ae', 'AED', 'en_AE', 'www.amazon.ae'],
  ['EU', 'A21TJRUUN4KGV', 'IN', 'Amazon.in', 'INR', 'en_IN', 'www.amazon.in'],
  ['FE', 'A19VAU5U5O7RUS', 'SG', 'Amazon.sg', 'SGD', 'en_SG', 'www.amazon.sg'],
  ['FE', 'A39IBJ37TRP1C6', 'AU', 'Amazon.com.au', 'AUD', 'en_AU', 'www.amazon.com.au'],
  ['FE', 'A1VC38T7YXB528', 'JP', 'Amazon.co.jp', 'JPY', 'ja_JP', 'www.amazon.co.jp'],
];

export const SANDBOX_MARKETPLACES: readonly SandboxMarketplace[] = rows.map(
  ([region, id, countryCode, name, defaultCurrencyCode, defaultLanguageCode, domainName]) => ({
    id,
    region,
    countryCode,
    name,
    defaultCurrencyCode,
    defaultLanguageCode,
    domainName,
    afnChannelCode: region === 'EU' ? 'AMAZON_EU' : region === 'FE' ? (countryCode === 'JP' ? 'AMAZON_JP' : 'AMAZON_FE') : 'AMAZON_NA',
  }),
);

const byId = new Map(SANDBOX_MARKETPLACES.map((m) => [m.id, m]));

export function marketplace(id: string): SandboxMarketplace | undefined {
  return byId.get(id);
}

export function marketplacesIn(region: SandboxRegion): SandboxMarketplace[] {
  return SANDBOX_MARKETPLACES.filter((m) => m.region === region);
}
