import { describe, expect, it } from 'vitest';
import { fillPlaceholders, finksBaseJobTemplate, resolveJobConfiguration } from './job-template';

describe('fillPlaceholders', () => {
  it('keeps the type of whole placeholders and drops unset ones', () => {
    expect(fillPlaceholders({ env: '{{ env }}', gone: '{{ nope }}' }, { env: { A: '1' } })).toEqual(
      {
        env: { A: '1' },
      },
    );
  });

  it('interpolates placeholders inside strings', () => {
    expect(fillPlaceholders('node {{ args }} --x={{ n }}', { args: 'a', n: 3 })).toBe(
      'node a --x=3',
    );
  });
});

describe('resolveJobConfiguration', () => {
  it('layers template defaults < deployment job_variables < flow run job_variables', () => {
    const config = resolveJobConfiguration(
      finksBaseJobTemplate(),
      { env: { LEVEL: 'info', REGION: 'eu' }, working_dir: '/srv/flows' },
      { env: { LEVEL: 'debug' }, termination_grace_seconds: 3 },
    );
    expect(config).toEqual({
      env: { LEVEL: 'debug' },
      workingDir: '/srv/flows',
      nodeArgs: [],
      terminationGraceSeconds: 3,
    });
  });

  it('falls back to defaults with no variables', () => {
    expect(resolveJobConfiguration(finksBaseJobTemplate(), null, undefined)).toEqual({
      env: {},
      workingDir: undefined,
      nodeArgs: [],
      terminationGraceSeconds: 10,
    });
  });
});
