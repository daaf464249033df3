import { defineContract } from '../../contract';
import {
  bigint,
  boolean,
  double,
  isoDate,
  numericString,
  text,
  ticker,
  url,
} from '../../fields/scalars';

/** `GET /stable/profile?symbol=…`: one row per symbol, re-read in full on every run. */
export const fmpCompanyProfiles = defineContract({
  source: 'fmp',
  dataset: 'company_profiles',
  description:
    'Company profile per symbol: identifiers, listing, sector and headline market figures. A snapshot: every run stores the full profile again.',
  origin: 'GET /stable/profile?symbol=…',
  mode: 'snapshot',
  fields: {
    symbol: ticker('Ticker symbol.'),
    price: double('Last price when the profile was served.').nullable(),
    marketCap: double('Market capitalisation, in `currency`.').nullable(),
    beta: double('Beta against the market index.').nullable(),
    lastDividend: double('Most recent annualised dividend per share.').nullable(),
    range: text('52-week range as FMP writes it, "low-high" (e.g. "169.21-260.1").')
      .nullable()
      .named('year_range'),
    change: double('Change from the previous close.').nullable(),
    changePercentage: double('Change from the previous close, in percent.').nullable(),
    volume: bigint('Shares traded in the latest session.').nullable(),
    averageVolume: double('Average daily volume.').nullable(),
    companyName: text('Company name as listed.').nullable(),
    currency: text('Currency of the price figures (ISO 4217).').nullable(),
    cik: text('SEC Central Index Key, zero-padded; a string to keep the zeros.').nullable(),
    isin: text('International Securities Identification Number.').nullable(),
    cusip: text('CUSIP, the North American security identifier.').nullable(),
    exchangeFullName: text('Exchange full name (e.g. "NASDAQ Global Select").').nullable(),
    exchange: text('Exchange short name (NASDAQ, NYSE, TSX…).').nullable().named('exchange_code'),
    industry: text("Industry, in FMP's classification.").nullable(),
    website: text('Company website.').nullable(),
    description: text('Business description.').nullable(),
    ceo: text('Chief executive, as FMP names them.').nullable(),
    sector: text("Sector, in FMP's classification.").nullable(),
    country: text('Country of the headquarters (ISO 3166 alpha-2).').nullable(),
    fullTimeEmployees: numericString('Full-time employees (FMP sends a string such as "164000").', {
      integer: true,
    }).nullable(),
    phone: text('Head office phone number.').nullable(),
    address: text('Head office street address.').nullable(),
    city: text('Head office city.').nullable(),
    state: text('Head office state or province.').nullable(),
    zip: text('Head office postal code.').nullable(),
    image: url('URL of the company logo.').nullable(),
    ipoDate: isoDate('Date of the initial public offering.').nullable(),
    defaultImage: boolean("True when `image` is FMP's placeholder logo.").nullable(),
    isEtf: boolean('True for exchange-traded funds.'),
    isActivelyTrading: boolean('False once the symbol is delisted or suspended.'),
    isAdr: boolean('True for American depositary receipts.'),
    isFund: boolean('True for mutual funds.'),
  },
  primaryKey: ['symbol'],
  cursor: null,
  partitionBy: 'ingested_at',
  // Refreshed weekly.
  freshness: { warnAfterHours: 8 * 24, errorAfterHours: 15 * 24 },
});
