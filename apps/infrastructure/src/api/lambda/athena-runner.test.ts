import { describe, expect, it } from 'vitest';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { AthenaQueryRunner, athenaLiteral } from './athena-runner';
import { summaryQuery } from './portfolio-queries';

describe('athenaLiteral', () => {
  it('renders values as quoted literals with quotes doubled', () => {
    expect(athenaLiteral({ kind: 'string', value: 'abc' })).toBe("'abc'");
    expect(athenaLiteral({ kind: 'string', value: "x' OR '1'='1" })).toBe("'x'' OR ''1''=''1'");
    expect(athenaLiteral({ kind: 'date', value: '2025-03-07' })).toBe("'2025-03-07'");
  });
});

describe('AthenaQueryRunner', () => {
  it('sends the SQL with execution parameters through the workgroup and reads the rows', async () => {
    const sent: object[] = [];
    let polls = 0;
    const client = {
      send(command: object): Promise<unknown> {
        sent.push(command);
        if (command instanceof StartQueryExecutionCommand)
          return Promise.resolve({ QueryExecutionId: 'q1' });
        if (command instanceof GetQueryExecutionCommand) {
          polls += 1;
          return Promise.resolve({
            QueryExecution: { Status: { State: polls < 2 ? 'RUNNING' : 'SUCCEEDED' } },
          });
        }
        if (command instanceof GetQueryResultsCommand) {
          return Promise.resolve({
            ResultSet: {
              Rows: [
                { Data: [{ VarCharValue: 'portfolio_id' }, { VarCharValue: 'trading_days' }] },
                { Data: [{ VarCharValue: 'abc' }, { VarCharValue: '5' }] },
              ],
            },
          });
        }
        return Promise.reject(new Error('unexpected command'));
      },
    };
    const runner = new AthenaQueryRunner({
      workgroup: 'wg',
      database: 'finks_dev_gold',
      client,
      pollMs: 1,
    });
    const query = summaryQuery(
      'finks_dev_gold',
      '64b7f0c2a1b2c3d4e5f60718',
      '2025-03-03',
      '2025-03-07',
    );
    expect(await runner.run(query)).toEqual([{ portfolio_id: 'abc', trading_days: '5' }]);
    const start = sent[0] as StartQueryExecutionCommand;
    expect(start.input).toMatchObject({
      WorkGroup: 'wg',
      QueryExecutionContext: { Database: 'finks_dev_gold' },
      ExecutionParameters: ["'64b7f0c2a1b2c3d4e5f60718'", "'2025-03-03'", "'2025-03-07'"],
    });
    expect(start.input.QueryString).toBe(query.sql);
  });

  it('reports a failed query with its reason', async () => {
    const client = {
      send(command: object): Promise<unknown> {
        if (command instanceof StartQueryExecutionCommand)
          return Promise.resolve({ QueryExecutionId: 'q2' });
        return Promise.resolve({
          QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'bytes scanned limit' } },
        });
      },
    };
    const runner = new AthenaQueryRunner({ workgroup: 'wg', database: 'db', client, pollMs: 1 });
    await expect(runner.run({ sql: 'select 1', params: [] })).rejects.toThrow(
      /FAILED: bytes scanned limit/,
    );
  });
});
