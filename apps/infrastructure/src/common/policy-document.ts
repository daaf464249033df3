import * as pulumi from '@pulumi/pulumi';

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  /** One of Action and NotAction (NotAction only in Deny statements of this program). */
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: pulumi.Input<string> | readonly pulumi.Input<string>[];
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

/** An IAM policy document as JSON, resolving any outputs (ARNs) inside it. */
export function policyDocument(statements: readonly Statement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: '2012-10-17', Statement: statements });
}

export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}
