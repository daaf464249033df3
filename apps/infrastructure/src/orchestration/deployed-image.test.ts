import { beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_ID, REGION, orchestrationArgs } from '../testing/component-fixtures';
import {
  installMocks,
  ofType,
  setDeployedImages,
  settle,
  type MockedResource,
} from '../testing/pulumi-mocks';
import { imageOf, isMissingTaskFamily } from './deployed-image';

const REGISTRY = `${ACCOUNT_ID}.dkr.ecr.${REGION}.amazonaws.com`;
let resources: readonly MockedResource[] = [];

// Infrastructure after the apps deployed: the worker and the fmp connector run releases their
// deploys registered; a family whose image is not from its repository; the Prefect server, whose
// image is infrastructure's own.
beforeAll(async () => {
  await installMocks();
  setDeployedImages({
    'finks-dev-pipelines-worker': [
      { name: 'worker', image: `${REGISTRY}/finks/dev/pipelines/worker:worker-abc123` },
    ],
    'finks-dev-ingestion-fmp': [
      { name: 'fmp', image: `${REGISTRY}/finks/dev/ingestion/connectors:fmp-def456` },
    ],
    'finks-dev-ingestion-mongodb': [{ name: 'mongodb', image: 'docker.io/someone/else:latest' }],
    // Its only container had another name when the app last deployed.
    'finks-dev-ingestion-news-stream': [
      { name: 'stream', image: `${REGISTRY}/finks/dev/ingestion/connectors:news-stream-789abc` },
    ],
    'finks-dev-infrastructure-prefect-server': [
      {
        name: 'prefect-server',
        image: `${REGISTRY}/finks/dev/infrastructure/prefect-server:prefect-server-old`,
      },
    ],
  });
  const { Orchestration } = await import('./orchestration');
  new Orchestration(
    'orch',
    orchestrationArgs('dev', {
      imageTag: 'v2',
      prefect: { mode: 'self-hosted' },
      database: {
        address: 'db.local',
        port: 5432,
        name: 'prefect',
        username: 'prefect',
        masterSecretArn: 'arn:db',
      },
    }),
  );
  resources = await settle();
  setDeployedImages({});
});

const images = () =>
  Object.fromEntries(
    ofType(resources, 'aws:ecs/taskDefinition:TaskDefinition').map((task) => {
      const [container] = JSON.parse(String(task.inputs['containerDefinitions'])) as {
        name: string;
        image: string;
      }[];
      return [container?.name, container?.image];
    }),
  );

describe('a task definition infrastructure registers again', () => {
  it("keeps the image the app's deploy registered last, so changing infrastructure rolls no app back", () => {
    expect(images()['worker']).toBe(`${REGISTRY}/finks/dev/pipelines/worker:worker-abc123`);
    expect(images()['fmp']).toBe(`${REGISTRY}/finks/dev/ingestion/connectors:fmp-def456`);
  });

  it('keeps the deployed image of a family whose only container was renamed since', () => {
    expect(images()['news-stream']).toBe(
      `${REGISTRY}/finks/dev/ingestion/connectors:news-stream-789abc`,
    );
  });

  it('starts at <component>-<imageTag> where no app has deployed yet or the image is foreign', () => {
    expect(images()['dbt']).toBe(`${REGISTRY}/finks/dev/dbt-runner/dbt:dbt-v2`);
    expect(images()['mongodb']).toBe(`${REGISTRY}/finks/dev/ingestion/connectors:mongodb-v2`);
  });

  it("follows imageTag for infrastructure's own image, the Prefect server", () => {
    expect(images()['prefect-server']).toBe(
      `${REGISTRY}/finks/dev/infrastructure/prefect-server:prefect-server-v2`,
    );
  });
});

describe('isMissingTaskFamily', () => {
  it('tells "no revision yet" from every other failure, which must stop the preview', () => {
    expect(
      isMissingTaskFamily(
        new Error(
          'invoking aws:ecs/getTaskDefinition:getTaskDefinition: 1 error occurred:\n\t* reading ECS Task Definition (finks-dev-pipelines-worker): ClientException: Unable to describe task definition.',
        ),
      ),
    ).toBe(true);
    expect(
      isMissingTaskFamily(
        new Error(
          'AccessDeniedException: User is not authorized to perform: ecs:DescribeTaskDefinition',
        ),
      ),
    ).toBe(false);
    expect(isMissingTaskFamily(new Error('RequestError: send request failed'))).toBe(false);
    // Not a missing family: must fail the preview, not start the app over at imageTag.
    expect(isMissingTaskFamily(new Error('container (worker) not found in task definition'))).toBe(
      false,
    );
  });
});

describe('imageOf', () => {
  const definitions = (containers: { name: string; image: string }[]) => JSON.stringify(containers);

  it("takes the named container's image, else the only container's", () => {
    const two = definitions([
      { name: 'sidecar', image: 'x/sidecar:1' },
      { name: 'worker', image: 'x/worker:2' },
    ]);
    expect(imageOf(two, 'worker')).toBe('x/worker:2');
    expect(imageOf(definitions([{ name: 'old', image: 'x/worker:3' }]), 'worker')).toBe(
      'x/worker:3',
    );
  });

  it('has none to choose among several other containers, or without a revision', () => {
    const two = definitions([
      { name: 'a', image: 'x/a:1' },
      { name: 'b', image: 'x/b:1' },
    ]);
    expect(imageOf(two, 'worker')).toBeUndefined();
    expect(imageOf('[]', 'worker')).toBeUndefined();
    expect(imageOf('', 'worker')).toBeUndefined();
  });
});
