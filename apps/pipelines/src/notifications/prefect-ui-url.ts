// Where a person opens a flow run. PREFECT_UI_URL wins (the UI may sit behind another host than
// the API); otherwise the UI of a self-hosted server is served where the API is, minus `/api`, and
// Prefect Cloud's workspace API maps onto its app URL.

const CLOUD_API =
  /^https:\/\/api\.prefect\.cloud\/api\/accounts\/([0-9a-f-]+)\/workspaces\/([0-9a-f-]+)\/?$/;

/** The Prefect UI base URL, or undefined when neither PREFECT_UI_URL nor PREFECT_API_URL is set. */
export function prefectUiUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const ui = env['PREFECT_UI_URL']?.trim();
  if (ui) return ui.replace(/\/+$/, '');
  const api = env['PREFECT_API_URL']?.trim();
  if (!api) return undefined;
  const cloud = CLOUD_API.exec(api);
  if (cloud) return `https://app.prefect.cloud/account/${cloud[1]}/workspace/${cloud[2]}`;
  return api.replace(/\/+$/, '').replace(/\/api$/, '');
}

/** `<UI>/runs/flow-run/<id>`, the flow run's page. */
export function prefectFlowRunUrl(
  flowRunId: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const base = prefectUiUrl(env);
  return base === undefined ? undefined : `${base}/runs/flow-run/${flowRunId}`;
}
