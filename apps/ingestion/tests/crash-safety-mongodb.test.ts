import { mongoUri } from '@finks/dev-services';
import { describe, expect, it } from 'vitest';
import { allFileText, keysOf, records, runCli, tempLake } from './helpers';
import { databaseName, seedPortfolioDatabase } from './mongo-seed';

// Crash points in run order: plan stored, a data part stored, manifest stored (bookmarks not yet).
const CRASHES = ['pending', 'part:2', 'manifest'];

describe('crash safety (SIGKILL, then rerun)', () => {
  it('mongodb: after kills at several points the lake holds every document exactly once', async () => {
    const database = databaseName('ingest_crash');
    await seedPortfolioDatabase(mongoUri(), database, { portfolios: 6, transactions: 230 });
    const { root, lake } = await tempLake();
    const args = [
      'mongodb',
      '--collections',
      'transactions',
      '--database',
      database,
      '--lake-root',
      root,
      '--part-size',
      '50',
      '--batch-size',
      '20',
    ];
    // A canary in the URI: the whole URI is the secret and must appear in no log line or object.
    const uri = `${mongoUri().replace(/\/?$/, '/')}?appName=canary-mongo-uri-8d2f`;
    const env = { MONGODB_URI: uri };
    let stderr = '';
    for (const point of CRASHES) {
      const killed = await runCli(args, { ...env, FINKS_CRASH_AT: point });
      expect(killed.signal, point).toBe('SIGKILL');
      stderr += killed.stderr;
    }
    const finished = await runCli(args, env);
    expect(finished.code, finished.stderr).toBe(0);
    stderr += finished.stderr;
    expect(stderr).not.toContain('canary-mongo-uri');
    expect(await allFileText(root)).not.toContain('canary-mongo-uri');
    const rows = await records(lake, 'mongodb', 'transactions');
    expect(rows).toHaveLength(230);
    expect(new Set(keysOf(rows, ['_id'])).size).toBe(230);
  });
});
