import { describe, expect, it } from 'vitest';
import { auditVerdict } from './npm-audit.ts';

const report = (vulnerabilities: Record<string, { severity: string }>) => {
  const counts = { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 };
  for (const v of Object.values(vulnerabilities)) counts[v.severity as 'low'] += 1;
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: counts },
  });
};

describe('auditVerdict', () => {
  it('fails on findings at or above the threshold and names the packages', () => {
    const json = report({ 'fast-xml-parser': { severity: 'critical' }, ms: { severity: 'low' } });
    expect(auditVerdict(json, 'high')).toMatchObject({
      kind: 'fail',
      packages: ['fast-xml-parser (critical)'],
    });
    expect(auditVerdict(json, 'low')).toMatchObject({
      packages: ['fast-xml-parser (critical)', 'ms (low)'],
    });
  });

  it('passes findings below the threshold', () => {
    expect(auditVerdict(report({ ms: { severity: 'moderate' } }), 'high').kind).toBe('pass');
    expect(auditVerdict(report({}), 'info').kind).toBe('pass');
  });

  it('tells an unavailable audit endpoint from a clean report', () => {
    const refused = JSON.stringify({ message: '405 Method Not Allowed - POST …', statusCode: 405 });
    expect(auditVerdict(refused, 'high')).toEqual({
      kind: 'unavailable',
      reason: '405 Method Not Allowed - POST …',
    });
    const npmError = JSON.stringify({ error: { code: 'ENOLOCK', summary: 'no lockfile' } });
    expect(auditVerdict(npmError, 'high')).toEqual({ kind: 'unavailable', reason: 'no lockfile' });
    expect(auditVerdict('', 'high').kind).toBe('unavailable');
  });
});
