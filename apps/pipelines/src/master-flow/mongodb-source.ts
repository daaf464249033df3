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
 * need not stop at a failing one), and any failure still fails the load. Returns the count written
 * and the orphans: documents of an earlier demo this one does not hold (see demoOrphansWarning).
 */
export async function loadDemoDocuments(
  uri: string,
  database: string,
  data: DemoData,
  now: Date = new Date(),
): Promise<DemoLoad> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  let written = 0;
  const orphans = { portfolios: 0, transactions: 0 };
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
      const wanted = new Set(documents.map((doc) => String(doc._id)));
      orphans[name] = [...existing.keys()].filter((id) => !wanted.has(id)).length;
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
    return { written, orphans };
  } finally {
    await client.close();
  }
}

export interface DemoLoad {
  /** Documents new or changed, (re)written. */
  readonly written: number;
  /** Documents per collection that an earlier, larger demo wrote and this one does not hold. */
  readonly orphans: { readonly portfolios: number; readonly transactions: number };
}

/**
 * What to tell the user when the database holds documents of an earlier demo (a rerun with fewer
 * portfolios or years), or null. They are only reported, not deleted: the connector ingests by
 * its updatedAt watermark and never sees a delete, so bronze and silver would keep them anyway;
 * nor do they fail the run: a database shared by runs of other sizes (the test suites) must still
 * load. Gold then counts their transactions, hence the reset steps.
 */
export function demoOrphansWarning(database: string, load: DemoLoad): string | null {
  const { portfolios, transactions } = load.orphans;
  if (portfolios + transactions === 0) return null;
  return (
    `warning: MongoDB database ${database} holds ${portfolios} portfolios and ${transactions} ` +
    'transactions of an earlier demo that this one does not have (a run with more portfolios or ' +
    'years); gold counts them. To start clean: drop the database (mongosh "$MONGODB_URI" --eval ' +
    `'db.getSiblingDB("${database}").dropDatabase()') and delete .finks/lake, then run again`
  );
}

/** A document's content without its updatedAt, for change detection. */
function comparable(doc: object): string {
  const { updatedAt: _updatedAt, ...rest } = doc as Record<string, unknown>;
  return JSON.stringify(rest, Object.keys(rest).sort());
}
