// The master flow's HTML run report: write it after a run, check it in headless Chromium.
export { writeRunReport } from './write-run-report';
export type { WriteRunReportOptions, WrittenRunReport } from './write-run-report';
export { checkReportInBrowser } from './check-report';
export type { CheckedChart, CheckReportOptions, ReportCheck } from './check-report';
export { REPORT_DATA_ELEMENT_ID } from './report-page';
export type { ChartModel } from './chart-model';
export type { RunReportData } from './report-data';
export { RunReportError, type RunReportErrorCode } from './run-report-error';
