// Reads `npm audit --json` and decides: pass, fail (findings at or above the threshold), or
// unavailable (the registry has no audit endpoint — some mirrors answer 405). Unavailable fails
// on GitHub Actions, where the public registry always answers, and only warns elsewhere.
import { z } from 'zod';

export const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const auditReport = z.union([
  z.object({
    metadata: z.object({
      vulnerabilities: z.object(
        Object.fromEntries(SEVERITIES.map((s) => [s, z.number()])) as Record<Severity, z.ZodNumber>,
      ),
    }),
    vulnerabilities: z.record(z.string(), z.object({ severity: z.enum(SEVERITIES) })),
  }),
  // What npm prints when the registry refuses the bulk advisory request.
  z.object({ message: z.string(), statusCode: z.number().optional() }),
  z.object({ error: z.object({ summary: z.string().optional(), code: z.string().nullish() }) }),
]);

export type AuditVerdict =
  | { kind: 'pass'; counts: Record<Severity, number> }
  | { kind: 'fail'; counts: Record<Severity, number>; packages: string[] }
  | { kind: 'unavailable'; reason: string };

export function auditVerdict(json: string, threshold: Severity): AuditVerdict {
  let parsed: z.infer<typeof auditReport>;
  try {
    parsed = auditReport.parse(JSON.parse(json));
  } catch (error) {
    return { kind: 'unavailable', reason: `npm audit printed no report (${String(error)})` };
  }
  if ('message' in parsed) return { kind: 'unavailable', reason: parsed.message };
  if ('error' in parsed) {
    return { kind: 'unavailable', reason: parsed.error.summary || parsed.error.code || 'error' };
  }
  const counts = parsed.metadata.vulnerabilities;
  const atOrAbove = (s: Severity) => SEVERITIES.indexOf(s) >= SEVERITIES.indexOf(threshold);
  const packages = Object.entries(parsed.vulnerabilities)
    .filter(([, v]) => atOrAbove(v.severity))
    .map(([name, v]) => `${name} (${v.severity})`)
    .sort();
  return packages.length > 0 ? { kind: 'fail', counts, packages } : { kind: 'pass', counts };
}
