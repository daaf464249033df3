import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ecrRepositoryName } from '@finks/iam-names';
import type { AwsEnv } from '../common/aws-env';
import type { Tags } from '../common/tags';
import type { ImageRef } from '../common/workloads';

export interface RegistryArgs {
  readonly env: AwsEnv;
  readonly images: readonly ImageRef[];
  /** Images kept per repository; older ones are expired by the lifecycle policy. */
  readonly keepLast: number;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly tags: Tags;
}

/** ECR repositories, one per image: scanned on push, immutable tags, the last N images kept. */
export class Registry extends pulumi.ComponentResource {
  /** Repository URL by repository name (`finks/<env>/<app>/<component>`). */
  readonly repositoryUrls: Readonly<Record<string, pulumi.Output<string>>>;
  readonly repositoryArns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('finks:registry:Registry', name, {}, opts);
    if (!Number.isInteger(args.keepLast) || args.keepLast < 1) {
      throw new Error(
        `Registry ${name}: keepLast must be a whole number of images ≥ 1, got ${args.keepLast}`,
      );
    }
    const urls: Record<string, pulumi.Output<string>> = {};
    const arns: Record<string, pulumi.Output<string>> = {};
    for (const image of args.images) {
      const repositoryName = ecrRepositoryName({ ...image, env: args.env });
      if (repositoryName in urls) continue;
      const resourceName = `${name}-${image.app}-${image.component}`;
      const repository = new aws.ecr.Repository(
        resourceName,
        {
          name: repositoryName,
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [{ encryptionType: 'KMS', kmsKey: args.kmsKeyArn }],
          forceDelete: args.env === 'dev',
          tags: { ...args.tags, app: image.app },
        },
        { parent: this },
      );
      new aws.ecr.LifecyclePolicy(
        `${resourceName}-lifecycle`,
        {
          repository: repository.name,
          policy: JSON.stringify({
            rules: [
              {
                rulePriority: 1,
                description: `keep the last ${args.keepLast} images`,
                selection: {
                  tagStatus: 'any',
                  countType: 'imageCountMoreThan',
                  countNumber: args.keepLast,
                },
                action: { type: 'expire' },
              },
            ],
          }),
        },
        { parent: this },
      );
      urls[repositoryName] = repository.repositoryUrl;
      arns[repositoryName] = repository.arn;
    }
    this.repositoryUrls = urls;
    this.repositoryArns = arns;
    this.registerOutputs({ repositoryUrls: urls });
  }
}
