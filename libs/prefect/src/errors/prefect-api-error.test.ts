import { describe, expect, it } from 'vitest';
import { PrefectApiError } from './prefect-api-error';

const request = { method: 'POST', url: 'http://127.0.0.1:4200/api/flows/' };

describe('PrefectApiError', () => {
  it('carries Prefect’s exception_detail from a 422', () => {
    const error = new PrefectApiError(422, request, {
      exception_message: 'Invalid request received.',
      exception_detail: [
        { loc: ['body', 'bogus'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' },
      ],
      request_body: { name: 'x', bogus: 1 },
    });
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(422);
    expect(error.exceptionMessage).toBe('Invalid request received.');
    expect(error.exceptionDetail).toEqual([
      { loc: ['body', 'bogus'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' },
    ]);
    expect(error.message).toContain('body.bogus: Extra inputs are not permitted');
  });

  it('maps statuses to stable codes', () => {
    const codes = [400, 401, 403, 404, 409, 429, 500, 503].map(
      (status) => new PrefectApiError(status, request, { detail: 'x' }).code,
    );
    expect(codes).toEqual([
      'bad_request',
      'auth',
      'forbidden',
      'not_found',
      'conflict',
      'rate_limited',
      'server',
      'unavailable',
    ]);
  });
});
