// Runs policies outside the Pulumi engine, with hand-built validation arguments (the pattern of
// pulumi/pulumi-policy-aws's tests): no PolicyPack, so no server is started.
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from '@pulumi/policy';
import type { MockedResource } from './pulumi-mocks';

const OPTIONS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::finks-infrastructure::${type}::${name}`;
}

export function policyResource(
  type: string,
  props: Record<string, unknown>,
  name = 'subject',
): PolicyResource {
  return {
    type,
    props,
    urn: urnOf(type, name),
    name,
    opts: OPTIONS,
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  } as PolicyResource;
}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

class NotApplicable extends Error {}

export function resourceArgs(
  type: string,
  props: Record<string, unknown>,
  name = 'subject',
): ResourceValidationArgs {
  return {
    type,
    props,
    urn: urnOf(type, name),
    name,
    opts: OPTIONS,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => ({}) as T,
    notApplicable,
  } as ResourceValidationArgs;
}

/** The violation messages a resource policy reports for one resource. */
export async function violations(
  policy: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
): Promise<string[]> {
  const found: string[] = [];
  const validations = policy.validateResource;
  for (const validate of Array.isArray(validations)
    ? validations
    : validations
      ? [validations]
      : []) {
    try {
      await validate(resourceArgs(type, props), (message) => found.push(message));
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
    }
  }
  return found;
}

export async function stackViolations(
  policy: StackValidationPolicy,
  resources: readonly PolicyResource[],
): Promise<string[]> {
  const found: string[] = [];
  const args: StackValidationArgs = {
    resources: [...resources],
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable,
  };
  await policy.validateStack(args, (message, urn) =>
    found.push(urn ? `${message} (${urn})` : message),
  );
  return found;
}

/** The program's resources as the policy engine would see them (inputs as props). */
export function fromMocks(resources: readonly MockedResource[]): PolicyResource[] {
  return resources
    .filter((resource) => resource.type.startsWith('aws:'))
    .map((resource) => policyResource(resource.type, resource.inputs, resource.name));
}
