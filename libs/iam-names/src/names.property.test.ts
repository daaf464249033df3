import { ENVS, ZONES } from '@finks/lake-paths';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPS } from './app';
import { athenaWorkgroupName } from './athena';
import { logGroupName } from './cloudwatch-logs';
import { ecrRepositoryName } from './ecr';
import { ecsClusterName, ecsServiceName, ecsTaskFamilyName } from './ecs';
import { glueDatabaseName, glueJobName } from './glue';
import { iamPolicyName, iamRoleName } from './iam';
import type { ResourceNameInput } from './resource-name-input';
import { secretName } from './secrets-manager';
import { snsTopicName } from './sns';
import { catchIamNameError } from './testing/catch-iam-name-error';

// AWS's limits, written out again from the API references rather than imported, so a wrong rule
// in the code cannot also make its own test pass.
const ECR = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const flat = ({ app, env, component }: ResourceNameInput) => `finks-${env}-${app}-${component}`;
const builders = [
  { builder: iamRoleName, format: flat, max: 64, charset: /^[\w+=,.@-]+$/ },
  { builder: iamPolicyName, format: flat, max: 128, charset: /^[\w+=,.@-]+$/ },
  { builder: ecsClusterName, format: flat, max: 255, charset: /^[A-Za-z0-9_-]+$/ },
  { builder: ecsServiceName, format: flat, max: 255, charset: /^[A-Za-z0-9_-]+$/ },
  { builder: ecsTaskFamilyName, format: flat, max: 255, charset: /^[A-Za-z0-9_-]+$/ },
  {
    builder: ecrRepositoryName,
    format: ({ app, env, component }: ResourceNameInput) => `finks/${env}/${app}/${component}`,
    max: 256,
    charset: ECR,
  },
  { builder: glueJobName, format: flat, max: 255, charset: /^[^\r\n]+$/ },
  { builder: athenaWorkgroupName, format: flat, max: 128, charset: /^[a-zA-Z0-9._-]+$/ },
  {
    builder: logGroupName,
    format: ({ app, env, component }: ResourceNameInput) => `/finks/${env}/${app}/${component}`,
    max: 512,
    charset: /^[.\-_/#A-Za-z0-9]+$/,
  },
  { builder: snsTopicName, format: flat, max: 256, charset: /^[A-Za-z0-9_-]+$/ },
];

const wordArb = fc.stringMatching(/^[a-z0-9]{1,12}$/);
/** Short components, and long ones (up to ~1000 characters) that need cutting everywhere. */
const componentArb = fc.oneof(
  fc.array(wordArb, { minLength: 1, maxLength: 4 }).map((words) => words.join('-')),
  fc.array(wordArb, { minLength: 10, maxLength: 80 }).map((words) => words.join('-')),
);
const inputArb = fc.record({
  app: fc.constantFrom(...APPS),
  env: fc.constantFrom(...ENVS),
  component: componentArb,
});
const sameInput = (a: ResourceNameInput, b: ResourceNameInput) =>
  a.app === b.app && a.env === b.env && a.component === b.component;

describe.each(builders)('$builder.name', ({ builder, format, max, charset }) => {
  it('meets the AWS limit and charset for every app × env and any component, deterministically', () => {
    fc.assert(
      fc.property(componentArb, (component) => {
        for (const app of APPS) {
          for (const env of ENVS) {
            const name = builder({ app, env, component });
            expect(name.length).toBeLessThanOrEqual(max);
            expect(name).toMatch(charset);
            expect(builder({ app, env, component })).toBe(name);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('gives every app × env its own name', () => {
    fc.assert(
      fc.property(componentArb, (component) => {
        const names = APPS.flatMap((app) => ENVS.map((env) => builder({ app, env, component })));
        expect(new Set(names).size).toBe(APPS.length * ENVS.length);
      }),
      { numRuns: 50 },
    );
  });

  it('gives distinct inputs distinct names', () => {
    fc.assert(
      fc.property(inputArb, inputArb, (a, b) => {
        fc.pre(!sameInput(a, b));
        expect(builder(a)).not.toBe(builder(b));
      }),
    );
  });

  it('keeps long components apart when they differ only past the cut', () => {
    // Longer than every limit, so both names are cut inside the shared stem.
    const stemArb = fc
      .tuple(wordArb, fc.integer({ min: 520, max: 700 }))
      .map(([word, length]) => `${word}-${'z'.repeat(length)}`);
    fc.assert(
      fc.property(inputArb, stemArb, wordArb, wordArb, (input, stem, end1, end2) => {
        fc.pre(end1 !== end2);
        const a = builder({ ...input, component: `${stem}-${end1}` });
        const b = builder({ ...input, component: `${stem}-${end2}` });
        expect(a).toMatch(/_[0-9a-f]{8}$/);
        expect(b).toMatch(/_[0-9a-f]{8}$/);
        expect(a).not.toBe(b);
      }),
    );
  });

  it('is the full name when it fits, else a prefix of it marked _<hash>', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const full = format(input);
        const name = builder(input);
        // Full names never hold "_", so no full name can equal another input's shortened one.
        expect(full).not.toContain('_');
        if (full.length <= max) {
          expect(name).toBe(full);
        } else {
          const [, kept = ''] = /^(.*)_[0-9a-f]{8}$/.exec(name) ?? [];
          expect(kept.length).toBeGreaterThan(0);
          expect(full.startsWith(kept)).toBe(true);
        }
      }),
    );
  });

  it('rejects every component that is not kebab-case, naming it', () => {
    const badArb = fc
      .string({ unit: 'binary', maxLength: 20 })
      .filter((s) => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s));
    fc.assert(
      fc.property(inputArb, badArb, (input, component) => {
        const error = catchIamNameError(() => builder({ ...input, component }));
        expect(error).toMatchObject({
          code: 'invalid_component',
          part: 'component',
          value: component,
        });
      }),
    );
  });

  it('rejects every unknown app or env, naming it', () => {
    fc.assert(
      fc.property(inputArb, fc.string(), (input, bad) => {
        fc.pre(
          !(APPS as readonly string[]).includes(bad) && !(ENVS as readonly string[]).includes(bad),
        );
        expect(catchIamNameError(() => builder({ ...input, app: bad as never })).part).toBe('app');
        expect(catchIamNameError(() => builder({ ...input, env: bad as never })).part).toBe('env');
      }),
    );
  });
});

describe('secretName', () => {
  const nameArb = componentArb;

  it('meets the limit and charset for every env, or refuses an ARN-like ending', () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        for (const env of ENVS) {
          const full = `finks/${env}/${name}`;
          if (full.length <= 512 && /-.{6}$/.test(full)) {
            expect(catchIamNameError(() => secretName({ env, name })).part).toBe('name');
            continue;
          }
          const secret = secretName({ env, name });
          expect(secret.length).toBeLessThanOrEqual(512);
          expect(secret).toMatch(/^[A-Za-z0-9/_+=.@-]+$/);
          expect(secret).not.toMatch(/-.{6}$/);
          expect(secretName({ env, name })).toBe(secret);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('gives distinct inputs distinct names', () => {
    const secretArb = fc.record({ env: fc.constantFrom(...ENVS), name: nameArb });
    fc.assert(
      fc.property(secretArb, secretArb, (a, b) => {
        fc.pre(a.env !== b.env || a.name !== b.name);
        const nameOf = (input: typeof a) => {
          try {
            return secretName(input);
          } catch {
            return `refused:${input.env}:${input.name}`;
          }
        };
        expect(nameOf(a)).not.toBe(nameOf(b));
      }),
    );
  });
});

describe('glueDatabaseName', () => {
  it('gives every env × zone a distinct lowercase name within the limit', () => {
    const names = ENVS.flatMap((env) => ZONES.map((zone) => glueDatabaseName({ env, zone })));
    for (const name of names) {
      expect(name).toMatch(/^[a-z0-9_]+$/);
      expect(name.length).toBeLessThanOrEqual(255);
    }
    expect(new Set(names).size).toBe(ENVS.length * ZONES.length);
  });
});
