// The Pulumi program's entry point (Pulumi.yaml runs it with tsx). Settings are read and checked
// first — config/<env>.yaml through @finks/config, Pulumi-only keys from Pulumi.<stack>.yaml —
// so a bad config fails, naming the field, before any resource is declared.
import * as pulumi from '@pulumi/pulumi';
import { createInfrastructure } from './program';
import { readStackSettings } from './stack/stack-settings';

export default function main() {
  const settings = readStackSettings({
    stack: pulumi.getStack(),
    stackConfig: new pulumi.Config(),
  });
  return createInfrastructure(settings);
}
