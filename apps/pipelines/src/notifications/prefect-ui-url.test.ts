import { describe, expect, it } from 'vitest';
import { prefectFlowRunUrl, prefectUiUrl } from './prefect-ui-url';

describe('prefectUiUrl', () => {
  it('prefers PREFECT_UI_URL', () => {
    expect(
      prefectUiUrl({
        PREFECT_UI_URL: 'https://prefect.example.com/',
        PREFECT_API_URL: 'http://x/api',
      }),
    ).toBe('https://prefect.example.com');
  });

  it('derives a self-hosted UI from the API URL', () => {
    expect(prefectFlowRunUrl('r1', { PREFECT_API_URL: 'http://10.0.0.5/api/' })).toBe(
      'http://10.0.0.5/runs/flow-run/r1',
    );
  });

  it("maps Prefect Cloud's workspace API onto the app", () => {
    expect(
      prefectUiUrl({
        PREFECT_API_URL: 'https://api.prefect.cloud/api/accounts/9a1b-22/workspaces/c3d4-55',
      }),
    ).toBe('https://app.prefect.cloud/account/9a1b-22/workspace/c3d4-55');
  });

  it('gives no URL when no Prefect is configured', () => {
    expect(prefectFlowRunUrl('r1', {})).toBeUndefined();
  });
});
