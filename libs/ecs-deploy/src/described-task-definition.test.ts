import { describe, expect, it } from 'vitest';
import { parseDescribedTaskDefinition } from './described-task-definition';
import { EcsDeployError } from './ecs-deploy-error';

function problem(text: string): EcsDeployError {
  try {
    parseDescribedTaskDefinition(text);
  } catch (error) {
    if (error instanceof EcsDeployError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parseDescribedTaskDefinition', () => {
  it('returns the description with every field, known or not', () => {
    const text = JSON.stringify({
      taskDefinition: {
        family: 'finks-dev-pipelines-worker',
        containerDefinitions: [{ name: 'worker', image: 'a:b' }],
        someFutureField: { kept: true },
      },
      tags: [],
    });
    expect(parseDescribedTaskDefinition(text).taskDefinition).toEqual({
      family: 'finks-dev-pipelines-worker',
      containerDefinitions: [{ name: 'worker', image: 'a:b' }],
      someFutureField: { kept: true },
    });
  });

  it.each([
    ['', /^the input is empty; pipe the output of `aws ecs describe-task-definition/],
    ['{"taskDefinition":', /^the input is not JSON; pipe/],
    ['[]', /^the input has no "taskDefinition" object/],
    ['{"family":"x"}', /^the input has no "taskDefinition" object/],
    ['{"taskDefinition":{"containerDefinitions":[]}}', /taskDefinition.family is missing/],
    [
      '{"taskDefinition":{"family":"f","containerDefinitions":{}}}',
      /containerDefinitions of f is not a list of objects/,
    ],
    [
      '{"taskDefinition":{"family":"f","containerDefinitions":["worker"]}}',
      /containerDefinitions of f is not a list of objects/,
    ],
  ])('rejects %j with a message naming the fix', (text, message) => {
    const error = problem(text);
    expect(error.code).toBe('invalid_description');
    expect(error.message).toMatch(message);
  });
});
