/*
 * Portfolio documents in the forms a reader may hand over: plain strings, canonical extended
 * JSON, and the Node driver's own objects (imitated here, so tests need no driver).
 */

/** Behaves like bson's ObjectId for `objectId()`: it has toHexString(). */
export function fakeDriverObjectId(hex: string): { toHexString(): string } {
  return { toHexString: () => hex };
}

/** Behaves like bson's Decimal128: `_bsontype` and a decimal string from toString(). */
export function fakeDriverDecimal(value: string): { _bsontype: 'Decimal128'; toString(): string } {
  return { _bsontype: 'Decimal128', toString: () => value };
}

export const mongodbPortfolioDocuments: unknown[] = [
  {
    _id: '65a1b2c3d4e5f60718293a4b',
    name: 'RRSP',
    baseCurrency: 'CAD',
    createdAt: '2024-01-12T15:04:05.123Z',
    updatedAt: '2025-01-10T09:00:00Z',
  },
  {
    _id: { $oid: '65A1B2C3D4E5F60718293A4C' },
    name: 'US growth',
    baseCurrency: 'USD',
    createdAt: { $date: '2024-03-01T00:00:00Z' },
    updatedAt: { $date: { $numberLong: '1736499600000' } },
    ownerEmail: 'someone@example.com',
  },
  {
    _id: fakeDriverObjectId('65a1b2c3d4e5f60718293a4d'),
    name: 'TFSA',
    baseCurrency: 'CAD',
    createdAt: new Date('2024-06-30T12:00:00-04:00'),
    updatedAt: new Date('2025-01-02T08:30:00Z'),
  },
];

const PORTFOLIO = '65a1b2c3d4e5f60718293a4b';

export const mongodbTransactionDocuments: unknown[] = [
  {
    _id: '6780a1b2c3d4e5f607182931',
    portfolioId: PORTFOLIO,
    type: 'deposit',
    amount: 10000,
    ts: '2025-01-02T14:00:00Z',
    updatedAt: '2025-01-02T14:00:01Z',
  },
  {
    _id: { $oid: '6780a1b2c3d4e5f607182932' },
    portfolioId: { $oid: PORTFOLIO },
    type: 'buy',
    symbol: 'SHOP.TO',
    quantity: { $numberDecimal: '12.5' },
    price: { $numberDecimal: '152.37' },
    amount: { $numberDecimal: '1904.625' },
    ts: { $date: '2025-01-03T15:30:00Z' },
    updatedAt: { $date: '2025-01-03T15:30:00Z' },
  },
  {
    _id: fakeDriverObjectId('6780a1b2c3d4e5f607182933'),
    portfolioId: fakeDriverObjectId(PORTFOLIO),
    type: 'sell',
    symbol: 'BRK-B',
    quantity: fakeDriverDecimal('3'),
    price: 465.1,
    amount: 1395.3,
    ts: new Date('2025-01-06T16:00:00Z'),
    updatedAt: new Date('2025-01-06T16:00:00Z'),
  },
  {
    _id: '6780a1b2c3d4e5f607182934',
    portfolioId: PORTFOLIO,
    type: 'fee',
    symbol: null,
    quantity: null,
    price: null,
    amount: { $numberDouble: '9.99' },
    ts: '2025-01-31T00:00:00+00:00',
    updatedAt: '2025-01-31T00:00:00+00:00',
  },
];
