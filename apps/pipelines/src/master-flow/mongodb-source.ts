// Where the local run finds its portfolio database: MONGODB_URI when set, else the project's own
// FerretDB (the MongoDB wire protocol on SQLite), started by tools/dev-env/services.sh.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MongoClient, type Document } from 'mongodb';
import { workspaceRoot } from './app-commands';
import type { DemoData } from './demo-portfolios';

const exec = promisify(execFile);

/**
 * MONGODB_URI, else the project's FerretDB once started. When FerretDB cannot start, undefined:
 * the run goes on without a database (the demo portfolios reach bronze from a snapshot file),
 * after saying why here.
 */
export async function resolveMongodbUri(
  fromEnv: string | undefined,
  warn: (text: string) => void = (text) => console.error(text),
): Promise<string | undefined> {
  if (fromEnv) return fromEnv;
  try {
    await exec('bash', [join(workspaceRoot, 'tools/dev-env/services.sh'), 'start', 'ferretdb'], {
      cwd: workspaceRoot,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    warn(
      `FerretDB did not start, so this run has no portfolio database (set MONGODB_URI to use one):\n  ` +
        stderr.trim().split('\n').slice(-5).join('\n  '),
    );
    return undefined;
  }
  const runDir = process.env['FINKS_RUN_DIR'] ?? join(workspaceRoot, '.finks/run');
  return (await readFile(join(runDir, 'ferretdb.url'), 'utf8')).trim();
}

/**
 * Documents per insertMany/deleteMany: a few hundred kB of BSON per round trip, far below the
 * 16 MB message limit; 22,435 demo transactions then take 23 round trips, not 22,435.
 */
export const DEMO_WRITE_BATCH = 1_000;

/**
 * Writes the demo data into `database` in batches: documents that are new or changed are
 * (re)written with `updatedAt` set to one `now`, so the mongodb connector's (updatedAt, _id)
 * watermark picks them all up; unchanged ones are left alone, so a rerun ingests nothing new.
 * A changed document is deleted and inserted again, never replaced in bulk: FerretDB v1 was seen
 * to stall on unordered bulk replaces of existing documents. Inserts are unordered (the server
 * need not stop at a failing one), and any failure still fails the load. Returns the count written.
 */
export async function loadDemoDocuments(
  uri: string,
  database: string,
  data: DemoData,
  now: Date = new Date(),
): Promise<number> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  let written = 0;
  try {
    await client.connect();
    const db = client.db(database);
    for (const [name, documents] of [
      ['portfolios', data.portfolios],
      ['transactions', data.transactions],
    ] as const) {
      const collection = db.collection(name);
      const existing = new Map<string, string>();
      for await (const doc of collection.find({})) {
        existing.set(String(doc['_id']), comparable(doc));
      }
      const changed = documents.filter((doc) => existing.get(String(doc._id)) !== comparable(doc));
      for (let start = 0; start < changed.length; start += DEMO_WRITE_BATCH) {
        const batch = changed.slice(start, start + DEMO_WRITE_BATCH);
        const stale = batch.filter((doc) => existing.has(String(doc._id))).map((doc) => doc._id);
        if (stale.length > 0) await collection.deleteMany({ _id: { $in: stale } });
        const result = await collection.insertMany(
          batch.map((doc): Document => ({ ...doc, updatedAt: now })),
          { ordered: false },
        );
        written += result.insertedCount;
      }
    }
    return written;
  } finally {
    await client.close();
  }
}

/** A document's content without its updatedAt, for change detection. */
function comparable(doc: object): string {
  const { updatedAt: _updatedAt, ...rest } = doc as Record<string, unknown>;
  return JSON.stringify(rest, Object.keys(rest).sort());
}
