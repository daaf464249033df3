// One line of a cleansing's phase times (DatasetCleansingSummary.seconds) for the benches.
import type { DatasetCleansingSummary } from '../src/transformation/bronze-to-silver/bronze-to-silver';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function phasesLine(summary: DatasetCleansingSummary): string {
  const { check, quarantine, silver } = summary.seconds;
  return (
    `phases: check ${fmt(check)} s, quarantine ${fmt(quarantine)} s, ` +
    `silver merge and write ${fmt(silver)} s (${summary.silverPartitions.length.toLocaleString('en-US')} dt partitions)`
  );
}
