import { servicesGlobalSetup } from '@finks/dev-services';

// FerretDB is the master flow's portfolio database; moto serves the AWS tasks' ECS, Glue, Logs,
// SNS and SQS; Prefect records the flows and task runs (retries) the tests read back.
export default servicesGlobalSetup(['ferretdb', 'moto', 'prefect']);
