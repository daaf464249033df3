import type { DatasetContract } from '../contract';
import { renderContractsJson } from './contracts-json';
import { renderDbtSources } from './dbt-sources';

export interface GeneratedFile {
  /** Relative to the lib's folder (libs/contracts). */
  readonly path: string;
  readonly content: string;
}

/** Every file `generate` writes, rendered from `contracts`. */
export function renderGeneratedFiles(contracts: readonly DatasetContract[]): GeneratedFile[] {
  return [
    { path: 'generated/contracts.json', content: renderContractsJson(contracts) },
    { path: 'generated/dbt-sources.yml', content: renderDbtSources(contracts) },
  ];
}
