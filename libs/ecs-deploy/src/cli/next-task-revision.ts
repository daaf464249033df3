// Used by the apps' deploy.sh between `aws ecs describe-task-definition` and
// `aws ecs register-task-definition`:
//   aws ecs describe-task-definition --task-definition <family> --output json |
//     npx tsx libs/ecs-deploy/src/cli/next-task-revision.ts <container> <image> > input.json
// Prints the register input JSON on stdout; on bad input, one line naming the fix on stderr and
// exit code 1 (2 for a usage error).
import { text } from 'node:stream/consumers';
import { EcsDeployError } from '../ecs-deploy-error';
import { parseDescribedTaskDefinition } from '../described-task-definition';
import { nextTaskRevision } from '../task-revision';

const USAGE = 'usage: next-task-revision <container> <image> < describe-task-definition.json';

const args = process.argv.slice(2);
if (args.length !== 2 || args.includes('--help') || args.includes('-h')) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(2);
}
const [container = '', image = ''] = args;
if (process.stdin.isTTY) {
  // Reading a terminal would wait forever for input the caller meant to pipe.
  process.stderr.write(`next-task-revision: nothing piped on stdin\n${USAGE}\n`);
  process.exit(2);
}

try {
  // Not readFileSync(0): when stdin is a non-blocking pipe (aws … | tsx …) it fails with EAGAIN.
  const described = parseDescribedTaskDefinition(await text(process.stdin));
  process.stdout.write(`${JSON.stringify(nextTaskRevision(described, container, image))}\n`);
} catch (error) {
  if (!(error instanceof EcsDeployError)) throw error;
  process.stderr.write(`next-task-revision: ${error.message}\n`);
  process.exit(1);
}
