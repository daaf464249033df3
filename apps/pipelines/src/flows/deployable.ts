// The flows a worker runs: the entrypoints of the deployments `pipelines:deploy` registers
// (`apps/pipelines/src/flows/deployable.ts:<export>`). Progress of the master flow goes to the
// run's log instead of a console display.
import { getRunLogger } from '@finks/prefect';
import { masterFlow } from '../master-flow/master-flow';
import type { Progress } from '../master-flow/progress';

export { ingestionFmpFlow } from './ingestion/fmp';
export { ingestionMongodbFlow } from './ingestion/mongodb';
export { ingestionStreamingFlow } from './ingestion/streaming';
export { bronzeToSilverFlow } from './transformation/bronze-to-silver';
export { silverToGoldFlow } from './transformation/silver-to-gold';
export { validateSchemasFlow } from './transformation/validate-schemas';

const logProgress: Progress = {
  stage: (name) => getRunLogger().info(`stage: ${name}`),
  note: (text) => getRunLogger().info(text),
};

export const masterFlowDeployable = masterFlow(logProgress);
