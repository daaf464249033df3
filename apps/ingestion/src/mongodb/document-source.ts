// Where the mongodb connector reads documents from: the portfolio database (a batched cursor,
// incremental by watermark), or an Extended JSON snapshot of it — what a run uses when no
// database is reachable (the local main job writes its demo portfolios there). A snapshot stands
// in for the database once: it is read whole and moves no watermark, so a later run against the
// real database still starts where that database's own watermark is.
import { readFile } from 'node:fs/promises';
import { BSON, ObjectId, type Document, type MongoClient } from 'mongodb';
import { IngestionError } from '../errors';
import { UNDATED, watermarkFilter, type Watermark } from './watermark';

export interface DocumentSource {
  /** Named in the bronze envelope's request and the logs. */
  readonly name: string;
  /** Whether a run reads after the watermark and moves it. */
  readonly incremental: boolean;
  /** `collection`'s documents in (from, upper], in (updatedAt, _id) order, projected. */
  documents(
    collection: string,
    from: Watermark | null,
    upper: Date,
    projection: Document,
    batchSize: number,
  ): AsyncIterable<Document>;
  /**
   * Documents whose updatedAt is not a date: only a read from the start takes them (see
   * watermark.ts), so an incremental run counts them to say so. Absent: the source reads whole.
   */
  countUndated?(collection: string): Promise<number>;
}

export function databaseSource(client: MongoClient, database?: string): DocumentSource {
  const db = client.db(database);
  return {
    name: `database ${db.databaseName}`,
    incremental: true,
    documents: (collection, from, upper, projection, batchSize) =>
      db
        .collection(collection)
        .find(watermarkFilter(from, upper), { projection, batchSize })
        .sort({ updatedAt: 1, _id: 1 }),
    countUndated: (collection) => db.collection(collection).countDocuments(UNDATED),
  };
}

const idText = (id: unknown): string =>
  id instanceof ObjectId ? id.toHexString() : typeof id === 'string' ? id : JSON.stringify(id);

function project(document: Document, projection: Document): Document {
  const kept: Document = { _id: document['_id'] };
  for (const [field, on] of Object.entries(projection)) {
    if (on && field in document) kept[field] = document[field];
  }
  return kept;
}

/**
 * An Extended JSON file `{ "<collection>": [documents…], … }` (canonical or relaxed EJSON, so
 * ObjectIds and dates keep their types). A collection missing from the file has no documents.
 */
export async function snapshotFileSource(path: string): Promise<DocumentSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new IngestionError(
      'config',
      `--snapshot-file ${path}: not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let parsed: unknown;
  try {
    // Relaxed: numbers come back as JS numbers (as the driver hands them over), not Double objects.
    parsed = BSON.EJSON.parse(text, { relaxed: true });
  } catch (error) {
    throw new IngestionError(
      'config',
      `--snapshot-file ${path}: not Extended JSON (${(error as Error).message})`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new IngestionError(
      'config',
      `--snapshot-file ${path}: expected an object of collections, e.g. {"portfolios": [...], "transactions": [...]}`,
    );
  }
  const collections = parsed as Record<string, unknown>;
  for (const [name, documents] of Object.entries(collections)) {
    if (!Array.isArray(documents)) {
      throw new IngestionError(
        'config',
        `--snapshot-file ${path}: "${name}" must be an array of documents`,
      );
    }
  }
  return {
    name: `snapshot ${path}`,
    incremental: false,
    async *documents(collection, _from, upper, projection) {
      const all = (collections[collection] ?? []) as Document[];
      // Documents without a date still go through: validation quarantines them with the reason.
      const inWindow = all.filter(
        (d) => !(d['updatedAt'] instanceof Date) || d['updatedAt'] <= upper,
      );
      const order = (d: Document) =>
        `${d['updatedAt'] instanceof Date ? d['updatedAt'].toISOString() : ''}|${idText(d['_id'])}`;
      for (const document of [...inWindow].sort((a, b) => order(a).localeCompare(order(b)))) {
        yield project(document, projection);
      }
    },
  };
}
