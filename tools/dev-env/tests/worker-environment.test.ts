import { describe, expect, inject, it } from 'vitest';
import { mongoUri, motoEndpoint, prefectApiUrl } from '@finks/dev-services';

// The global setup runs in vitest's main process; these checks prove its URLs reach the worker
// that runs the tests, both through provide/inject and through the inherited environment.
describe('services handed to test workers', () => {
  const provided = inject('finksServices');

  it('are provided with a URL for each service', () => {
    expect(provided.urls).toEqual({
      moto: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      ferretdb: expect.stringMatching(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/),
      prefect: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api$/),
    });
  });

  it('are in the worker environment, where the helpers and SDKs read them', () => {
    expect(process.env['AWS_ENDPOINT_URL']).toBe(provided.urls.moto);
    expect(process.env['MONGODB_URI']).toBe(provided.urls.ferretdb);
    expect(process.env['PREFECT_API_URL']).toBe(provided.urls.prefect);
    expect(process.env['AWS_ACCESS_KEY_ID']).toBe('test');
    expect(motoEndpoint()).toBe(provided.urls.moto);
    expect(mongoUri()).toBe(provided.urls.ferretdb);
    expect(prefectApiUrl()).toBe(provided.urls.prefect);
  });
});
