import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { BoundQuery, QueryParam } from './portfolio-queries';
import type { QueryRunner, Row } from './query-runner';

/**
 * Athena's execution parameters are SQL literals (a string goes in quoted), so each value is
 * rendered as one: quotes doubled, dates as DATE literals. The handlers validate every value
 * against a strict pattern first; this encoding is the second line of defence.
 */
export function athenaLiteral(param: QueryParam): string {
  // Dates are bound as strings too: the SQL casts them (`cast(? as date)`) in every engine.
  return `'${param.value.replaceAll("'", "''")}'`;
}

/** The slice of AthenaClient the runner uses, so tests can pass a fake. */
export interface AthenaSender {
  send(command: object): Promise<unknown>;
}

export interface AthenaRunnerOptions {
  readonly workgroup: string;
  readonly database: string;
  readonly client?: AthenaSender;
  readonly pollMs?: number;
  readonly timeoutMs?: number;
}

interface ExecutionState {
  QueryExecution?: { Status?: { State?: string; StateChangeReason?: string } };
}
interface ResultPage {
  NextToken?: string;
  ResultSet?: { Rows?: { Data?: { VarCharValue?: string }[] }[] };
}

export class AthenaQueryRunner implements QueryRunner {
  private readonly client: AthenaSender;

  constructor(private readonly options: AthenaRunnerOptions) {
    this.client = options.client ?? new AthenaClient({});
  }

  async run(query: BoundQuery): Promise<Row[]> {
    const started = (await this.client.send(
      new StartQueryExecutionCommand({
        QueryString: query.sql,
        WorkGroup: this.options.workgroup,
        QueryExecutionContext: { Database: this.options.database },
        ...(query.params.length > 0
          ? { ExecutionParameters: query.params.map(athenaLiteral) }
          : {}),
      }),
    )) as { QueryExecutionId?: string };
    const id = started.QueryExecutionId;
    if (id === undefined) throw new Error('Athena returned no query execution id');

    const deadline = Date.now() + (this.options.timeoutMs ?? 20_000);
    for (;;) {
      const state = (await this.client.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      )) as ExecutionState;
      const status = state.QueryExecution?.Status;
      if (status?.State === 'SUCCEEDED') break;
      if (status?.State === 'FAILED' || status?.State === 'CANCELLED') {
        throw new Error(
          `Athena query ${id} ${status.State}: ${status.StateChangeReason ?? 'no reason given'}`,
        );
      }
      if (Date.now() > deadline) throw new Error(`Athena query ${id} did not finish in time`);
      await new Promise((done) => setTimeout(done, this.options.pollMs ?? 250));
    }

    const rows: Row[] = [];
    let header: string[] | undefined;
    let token: string | undefined;
    do {
      const page = (await this.client.send(
        new GetQueryResultsCommand({
          QueryExecutionId: id,
          ...(token ? { NextToken: token } : {}),
        }),
      )) as ResultPage;
      for (const raw of page.ResultSet?.Rows ?? []) {
        const values = (raw.Data ?? []).map((cell) => cell.VarCharValue ?? null);
        if (header === undefined) {
          header = values.map((value) => value ?? '');
          continue;
        }
        rows.push(Object.fromEntries(header.map((name, index) => [name, values[index] ?? null])));
      }
      token = page.NextToken;
    } while (token !== undefined);
    return rows;
  }
}
