// Applies a deploy plan to a Prefect API, idempotently: every object is created or updated to
// match, and a second apply reports every object unchanged.
import {
  applyAutomation,
  applyBlock,
  applyBlockDocument,
  applyDeployment,
  applyVariable,
  applyWorkPool,
  flowRunFailureNotification,
  type ApplyAction,
  type PrefectClient,
} from '@finks/prefect';
import { notificationBlockNames } from '../flows/notify';
import { applyNotificationBlocks } from '../notifications';
import { AWS_SETTINGS_BLOCK_TYPE, awsSettingsFields } from './aws-settings-block';
import type { DeployPlan } from './plan';

export interface AppliedObject {
  readonly kind: 'work-pool' | 'block' | 'variable' | 'deployment' | 'notification' | 'automation';
  readonly name: string;
  readonly action: ApplyAction;
}

export interface ApplyOptions {
  /**
   * A Slack-compatible webhook for "notify on Failed" (read by the caller from Secrets Manager or
   * the environment; stored by Prefect as a secret field of its slack-webhook block).
   */
  readonly slackWebhookUrl?: string;
}

function summarise(actions: readonly ApplyAction[]): ApplyAction {
  if (actions.every((a) => a === 'unchanged')) return 'unchanged';
  return actions.includes('created') ? 'created' : 'updated';
}

export async function applyDeployPlan(
  client: PrefectClient,
  plan: DeployPlan,
  options: ApplyOptions = {},
): Promise<AppliedObject[]> {
  const applied: AppliedObject[] = [];
  const pool = await applyWorkPool(client, plan.workPool);
  applied.push({ kind: 'work-pool', name: plan.workPool.name, action: pool.action });

  const block = await applyBlock(client, {
    type: AWS_SETTINGS_BLOCK_TYPE,
    fields: awsSettingsFields,
    documents: [{ name: plan.awsSettings.name, data: plan.awsSettings.data }],
  });
  const blockActions = [
    block.type.action,
    block.schema.action,
    ...block.documents.map((d) => d.action),
  ];
  applied.push({
    kind: 'block',
    name: plan.awsSettings.name,
    action: summarise(blockActions),
  });

  for (const variable of plan.variables) {
    const result = await applyVariable(client, variable);
    applied.push({ kind: 'variable', name: variable.name, action: result.action });
  }

  for (const deployment of plan.deployments) {
    const result = await applyDeployment(client, {
      flow: deployment.flow,
      name: deployment.name,
      entrypoint: deployment.entrypoint,
      path: plan.jobVariables.working_dir,
      workPool: plan.workPool.name,
      schedules: deployment.schedules,
      parameters: deployment.parameters,
      tags: deployment.tags,
      description: deployment.description,
    });
    applied.push({
      kind: 'deployment',
      name: `${deployment.flow.flowName}/${deployment.name}`,
      action: result.action,
    });
  }

  // The channels the flows' failure notices go through (flows/notify.ts reads them back).
  const names = notificationBlockNames(plan.env);
  const channels = await applyNotificationBlocks(client, {
    ...(options.slackWebhookUrl
      ? { slack: { name: names.slack, url: options.slackWebhookUrl } }
      : {}),
    ...(plan.alertTopic
      ? { sns: { name: names.sns, topicArn: plan.alertTopic.arn, region: plan.alertTopic.region } }
      : {}),
  });
  for (const [kind, block] of Object.entries(channels)) {
    const actions = [
      block.type.action,
      block.schema.action,
      ...block.documents.map((d) => d.action),
    ];
    applied.push({
      kind: 'notification',
      name: `finks-${kind}-blocks`,
      action: summarise(actions),
    });
  }

  if (options.slackWebhookUrl) {
    // Prefect's own slack-webhook block: the server's automations know how to send through it.
    const name = `finks-${plan.env}-alerts`;
    const document = await applyBlockDocument(client, {
      blockTypeSlug: 'slack-webhook',
      name,
      data: { url: options.slackWebhookUrl },
    });
    applied.push({ kind: 'notification', name, action: document.action });
    const automation = await applyAutomation(
      client,
      flowRunFailureNotification({
        name: `finks-${plan.env}-notify-on-failed`,
        blockDocumentId: document.id,
      }),
    );
    applied.push({
      kind: 'automation',
      name: `finks-${plan.env}-notify-on-failed`,
      action: automation.action,
    });
  }
  return applied;
}
