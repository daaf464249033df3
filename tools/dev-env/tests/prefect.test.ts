import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prefectApiUrl } from '@finks/dev-services';
import { pinnedVersion } from './pinned-versions';

async function prefect(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${prefectApiUrl()}${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });
}

describe('Prefect server over REST', () => {
  it('runs the pinned Prefect version', async () => {
    const response = await prefect('/admin/version');
    expect(response.status).toBe(200);
    expect(await response.json()).toBe(pinnedVersion('prefect'));
  });

  it('writes task runs from events in batches of 1,000 (services.sh; libs/prefect README, "Bench")', async () => {
    const response = await prefect('/admin/settings');
    expect(response.status).toBe(200);
    const settings = (await response.json()) as {
      server: { services: { task_run_recorder: { enabled: boolean; batch_size: number } } };
    };
    expect(settings.server.services.task_run_recorder).toMatchObject({
      enabled: true,
      batch_size: 1000,
    });
  });

  it('creates a flow and reads it back', async () => {
    const name = `dev-env-check-${randomUUID()}`;
    const created = await prefect('/flows/', {
      method: 'POST',
      body: JSON.stringify({ name, tags: ['dev-env'] }),
    });
    expect(created.status).toBe(201);
    const flow = (await created.json()) as { id: string; name: string };
    expect(flow.name).toBe(name);

    const read = await prefect(`/flows/${flow.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: flow.id, name, tags: ['dev-env'] });
  });
});
