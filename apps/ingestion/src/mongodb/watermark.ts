import { ObjectId, type Filter, type Document } from 'mongodb';

/**
 * `updatedAt` alone is not a watermark: many documents share one timestamp, and a run that stops
 * between them would skip the rest. (`updatedAt`, `_id`) is a total order, kept as
 * `<ISO time>|<id hex>` so it sorts as a string.
 */
export interface Watermark {
  readonly updatedAt: Date;
  readonly id: string;
}

export function formatWatermark(mark: Watermark): string {
  return `${mark.updatedAt.toISOString()}|${mark.id}`;
}

export function parseWatermark(value: string): Watermark {
  const [time = '', id = ''] = value.split('|');
  return { updatedAt: new Date(time), id };
}

/**
 * Documents whose updatedAt is not a BSON date, or missing (a string written by hand, a bad
 * import). `$lte`/`$gt` on a date never match them (MongoDB compares within a type), so no
 * watermark reaches them. FerretDB v1 supports `$not`/`$type` too.
 */
export const UNDATED: Filter<Document> = { updatedAt: { $not: { $type: 'date' } } };

/**
 * Documents after `from` (exclusive) and up to `upper` (inclusive), in watermark order. A read
 * from the start (`from` null: a first or `--full` run) also takes the undated ones (they sort
 * first), so they reach bronze, or quarantine with the reason, instead of never being read.
 */
export function watermarkFilter(from: Watermark | null, upper: Date): Filter<Document> {
  const bounded = { updatedAt: { $lte: upper } };
  if (from === null) return { $or: [bounded, UNDATED] };
  const id: unknown =
    ObjectId.isValid(from.id) && from.id.length === 24 ? new ObjectId(from.id) : from.id;
  const filter: Document = {
    $and: [
      bounded,
      {
        $or: [
          { updatedAt: { $gt: from.updatedAt } },
          { updatedAt: from.updatedAt, _id: { $gt: id } },
        ],
      },
    ],
  };
  return filter;
}

export function watermarkOf(document: Document): Watermark | undefined {
  const updatedAt: unknown = document['updatedAt'];
  const id: unknown = document['_id'];
  if (!(updatedAt instanceof Date)) return undefined;
  const hex = id instanceof ObjectId ? id.toHexString() : typeof id === 'string' ? id : undefined;
  return hex === undefined ? undefined : { updatedAt, id: hex };
}
