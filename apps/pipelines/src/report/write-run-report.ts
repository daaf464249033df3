// Writes the master flow's HTML run report: one self-contained file beside the run's output.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { LocalLakeTarget } from '../master-flow/local-lake-target';
import type { MasterFlowResult } from '../master-flow/master-flow';
import { readReportData, type RunReportData } from './report-data';
import { renderRunReportHtml } from './report-page';
import { RunReportError } from './run-report-error';

export interface WriteRunReportOptions {
  /** The lake the run wrote; gold marts are read from its gold zone. */
  readonly lake: LocalLakeTarget;
  readonly result: MasterFlowResult;
  /** Where the page goes (`.html`); missing folders are created. */
  readonly outFile: string;
  /** The flow's as-of date; defaults to the latest trade date in gold. */
  readonly asOf?: string;
}

export interface WrittenRunReport {
  /** Absolute path of the written page. */
  readonly file: string;
  readonly bytes: number;
  readonly data: RunReportData;
}

function checkOptions(options: WriteRunReportOptions): void {
  if (!options.outFile.toLowerCase().endsWith('.html')) {
    throw new RunReportError(
      'invalid_options',
      `outFile "${options.outFile}" must end with .html (the report is an HTML page), e.g. "run-report.html"`,
    );
  }
  if (!isAbsolute(options.lake.root)) {
    throw new RunReportError(
      'invalid_options',
      `lake.root "${options.lake.root}" must be an absolute path: resolve it against the config folder first`,
    );
  }
  if (typeof options.result?.correlationId !== 'string' || options.result.correlationId === '') {
    throw new RunReportError(
      'invalid_options',
      'result.correlationId is missing: pass the MasterFlowResult the master flow returned',
    );
  }
  if (options.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) {
    throw new RunReportError(
      'invalid_options',
      `asOf "${options.asOf}" must be a date as YYYY-MM-DD`,
    );
  }
}

export async function writeRunReport(options: WriteRunReportOptions): Promise<WrittenRunReport> {
  checkOptions(options);
  const data = await readReportData(options);
  const html = renderRunReportHtml(data);
  const file = resolve(options.outFile);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, html, 'utf8');
  return { file, bytes: Buffer.byteLength(html), data };
}
