// The plan as a pull-request comment: a sentence, then one row per deploy in order.
import type { DeployPlan } from './deploy-plan.ts';

const verb = { preview: 'Previews', deploy: 'Deploys', release: 'Releases', none: 'Runs' };

export function planToMarkdown(plan: DeployPlan): string {
  const { trigger } = plan;
  const lines = ['### Deploy plan', ''];
  const range =
    plan.base && plan.head ? ` (${plan.base.slice(0, 7)}…${plan.head.slice(0, 7)})` : '';
  if (plan.deploys.length === 0) {
    lines.push(
      `Nothing to deploy for \`${trigger.ref}\`${range}: no deployable project is affected.`,
    );
  } else {
    const where = trigger.environments.map((e) => `\`${e}\``).join(', ');
    lines.push(`${verb[trigger.kind]} ${plan.deploys.length} project(s) to ${where}${range}.`, '');
    lines.push('| Stage | Project | Environments | Waits on |', '| --- | --- | --- | --- |');
    for (const d of plan.deploys) {
      const waits = d.waitsOn.length > 0 ? d.waitsOn.map((w) => `\`${w}\``).join(', ') : '—';
      lines.push(`| ${d.stage + 1} | \`${d.project}\` | ${d.environments.join(', ')} | ${waits} |`);
    }
  }
  if (plan.skipped.length > 0) {
    lines.push(
      '',
      `Skipped: ${plan.skipped.map((s) => `\`${s.project}\` (${s.reason})`).join(', ')}.`,
    );
  }
  const others = plan.affected.filter((p) => !(p in plan.projects));
  if (others.length > 0) {
    lines.push(
      '',
      `Also affected (checked, not deployed): ${others.map((p) => `\`${p}\``).join(', ')}.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
