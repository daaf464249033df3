// Helpers for apps/ingestion/deploy.sh, which does the docker and aws work itself:
//   tsx src/deploy/main.ts targets <env> <git-sha>   → one tab-separated line per connector
//   tsx src/deploy/main.ts revision <container> <image> < described.json → register input JSON
// (`revision` is @finks/ecs-deploy's next-task-revision, kept here so deploy.sh's call stays put.)
import { text } from 'node:stream/consumers';
import { nextTaskRevision, parseDescribedTaskDefinition } from '@finks/ecs-deploy';
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
  } else if (command === 'revision') {
    const [container, image] = args;
    if (container === undefined || image === undefined) {
      throw new Error('usage: revision <container> <image> < describe-task-definition.json');
    }
    // Not readFileSync(0): when stdin is a non-blocking pipe (aws … | tsx …) it fails with EAGAIN.
    const described = parseDescribedTaskDefinition(await text(process.stdin));
    process.stdout.write(`${JSON.stringify(nextTaskRevision(described, container, image))}\n`);
  } else {
    throw new Error('usage: main.ts <targets|revision> …');
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
