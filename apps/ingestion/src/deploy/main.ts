// What apps/ingestion/deploy.sh ships (the docker and aws steps are tools/deploy/image-steps.sh):
//   tsx src/deploy/main.ts targets <env> <git-sha>   → one tab-separated line per connector
import { deployTargets } from './connectors';

const [command, ...args] = process.argv.slice(2);
try {
  if (command === 'targets') {
    const [env, sha] = args;
    if (env !== 'dev' && env !== 'staging' && env !== 'prod') {
      throw new Error(`environment "${env ?? ''}" cannot be deployed; use dev, staging or prod`);
    }
    for (const target of deployTargets(env, sha ?? '')) {
      const { connector, dockerfile, repository, tag, family, container } = target;
      process.stdout.write(
        `${[connector, dockerfile, repository, tag, family, container].join('\t')}\n`,
      );
    }
  } else {
    throw new Error('usage: main.ts targets <env> <git-sha>');
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
