// The container entrypoint: `dbt-runner <build|run|test|snapshot|docs|slim-ci> [options]`.
import { runCli } from './cli/program';

process.exitCode = await runCli(process.argv.slice(2));
