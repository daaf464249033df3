import { unwrap, type PrefectClient, type PrefectSchemas } from '../client/client';
import { PrefectArgumentError } from '../errors/prefect-argument-error';
import { isSubset, type Applied } from './apply-result';

export type AutomationSpec = PrefectSchemas['AutomationCreate'];
type Automation = PrefectSchemas['Automation'];

/**
 * Creates or replaces the automation with this name. Prefect does not key automations by name,
 * so the name must be unique: two existing automations with it are an error. Compared as a
 * subset (the server fills trigger defaults and ids), and replaced whole when it differs.
 */
export async function applyAutomation(
  client: PrefectClient,
  spec: AutomationSpec,
): Promise<Applied<Automation>> {
  const { api } = client;
  const desired: AutomationSpec = { enabled: true, description: '', tags: [], ...spec };
  const matches = await unwrap(
    api.POST('/automations/filter', {
      body: { automations: { name: { any_: [spec.name] } }, limit: 2 },
    }),
  );
  if (matches.length > 1) {
    throw new PrefectArgumentError(
      `Several automations are named "${spec.name}"; delete the extras so the name identifies one.`,
    );
  }
  const existing = matches[0];
  if (!existing) {
    const created = await unwrap(api.POST('/automations/', { body: desired }));
    return { action: 'created', id: created.id, object: created };
  }
  if (isSubset(desired, existing))
    return { action: 'unchanged', id: existing.id, object: existing };
  await unwrap(
    api.PUT('/automations/{id}', { params: { path: { id: existing.id } }, body: desired }),
  );
  const updated = await unwrap(
    api.GET('/automations/{id}', { params: { path: { id: existing.id } } }),
  );
  return { action: 'updated', id: updated.id, object: updated };
}

export interface FlowRunFailureNotificationSpec {
  readonly name: string;
  /** A notification block document (e.g. slack-webhook) to send through. */
  readonly blockDocumentId: string;
  /** Only runs of these flows (default: every flow). */
  readonly flowNames?: readonly string[];
  readonly subject?: string;
  readonly body?: string;
}

/** "Notify on Failed": an automation that sends a notification when a flow run fails. */
export function flowRunFailureNotification(spec: FlowRunFailureNotificationSpec): AutomationSpec {
  const flowNames = spec.flowNames ?? [];
  return {
    name: spec.name,
    description: 'Notify when a flow run fails.',
    enabled: true,
    trigger: {
      type: 'event',
      posture: 'Reactive',
      match: { 'prefect.resource.id': 'prefect.flow-run.*' },
      match_related:
        flowNames.length > 0
          ? { 'prefect.resource.role': 'flow', 'prefect.resource.name': [...flowNames] }
          : {},
      expect: ['prefect.flow-run.Failed'],
      threshold: 1,
      within: 0,
    },
    actions: [
      {
        type: 'send-notification',
        block_document_id: spec.blockDocumentId,
        subject: spec.subject ?? 'Prefect flow run failed: {{ flow.name }}/{{ flow_run.name }}',
        body:
          spec.body ??
          'Flow run {{ flow.name }}/{{ flow_run.name }} entered state {{ flow_run.state.name }}: {{ flow_run.state.message }}',
      },
    ],
  };
}
