/**
 * Checks 5-field cron expressions (minute hour day-of-month month day-of-week), the dialect
 * Prefect's cron schedules accept. Each field is a comma list of `*`, `n`, `a-b`, each optionally
 * followed by `/step`; month and day-of-week also take three-letter English names.
 */

export interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for the values, starting at `min` (JAN = 1, SUN = 0). */
  readonly names?: readonly string[];
}

export const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  // 7 is Sunday as well as 0, as in Vixie cron and croniter.
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const FIELD_LIST = CRON_FIELDS.map((field) => field.name).join(' ');

/** Every problem with `expression`; an empty list means it is valid. */
export function cronProblems(expression: string): string[] {
  const trimmed = expression.trim();
  if (trimmed === '') return ['cron expression is empty'];
  if (trimmed.startsWith('@')) {
    return [
      `macros like ${JSON.stringify(trimmed)} are not accepted; write the 5 fields (${FIELD_LIST}), e.g. "0 0 * * *"`,
    ];
  }
  const parts = trimmed.split(/\s+/);
  if (parts.length !== CRON_FIELDS.length) {
    return [
      `has ${parts.length} field${parts.length === 1 ? '' : 's'}; expected 5 (${FIELD_LIST}) with no seconds or year field`,
    ];
  }
  const problems = CRON_FIELDS.flatMap((field, index) => fieldProblems(field, parts[index] ?? ''));
  if (problems.length > 0) return problems;
  const [, , dayOfMonth = '*', month = '*', dayOfWeek = '*'] = parts;
  return impossibleDateProblems(dayOfMonth, month, dayOfWeek);
}

/** Longest each month can be; February counts 29 so that a leap-day schedule stays valid. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `0 6 30 2 *` passes field by field but never fires: Prefect's scheduler finds no next date
 * and the deployment silently never runs. When day-of-week is also restricted, croniter (with
 * Prefect's default `day_or`) fires on either field, so only a `*` day-of-week is checked.
 */
function impossibleDateProblems(dayOfMonth: string, month: string, dayOfWeek: string): string[] {
  if (dayOfMonth === '*' || dayOfWeek !== '*') return [];
  const [dayField, monthField] = [CRON_FIELDS[2], CRON_FIELDS[3]] as [CronField, CronField];
  const days = fieldValues(dayField, dayOfMonth);
  const months = fieldValues(monthField, month);
  const longest = Math.max(...[...months].map((m) => DAYS_IN_MONTH[m - 1] ?? 31));
  if ([...days].some((day) => day <= longest)) return [];
  const monthNames = [...months].map((m) => monthField.names?.[m - 1] ?? String(m)).join(', ');
  return [
    `day-of-month ${JSON.stringify(dayOfMonth)} never occurs in month ${JSON.stringify(month)} (${monthNames} ${months.size === 1 ? 'has' : 'have'} at most ${longest} days), so the schedule would never fire; pick a day that exists`,
  ];
}

/** The values a field that has already passed `fieldProblems` matches. */
function fieldValues(field: CronField, text: string): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [base = '*', step = '1'] = item.split('/');
    const bounds =
      base === '*'
        ? [field.min, field.max]
        : base.split('-').map((b) => fieldValue(field, b) as number);
    const start = bounds[0] ?? field.min;
    // `n/step` runs from n to the field's end, as in croniter.
    const end =
      bounds.length > 1 ? (bounds[1] ?? field.max) : item.includes('/') ? field.max : start;
    for (let value = start; value <= end; value += Number(step)) values.add(value);
  }
  return values;
}

export function isValidCron(expression: string): boolean {
  return cronProblems(expression).length === 0;
}

function fieldProblems(field: CronField, text: string): string[] {
  const problem = (detail: string) => `${field.name} field ${JSON.stringify(text)}: ${detail}`;
  if (usesQuartzSyntax(field, text)) {
    return [problem('"?", "L", "W" and "#" are Quartz/EventBridge syntax, not 5-field cron')];
  }
  return text.split(',').flatMap((item) => itemProblems(field, item).map(problem));
}

/**
 * `?`, `L`, `W` and `#` come from Quartz/EventBridge schedules, often copied from AWS docs; they
 * mean nothing to croniter. Names are removed first, since JUL holds an L and WED a W.
 */
function usesQuartzSyntax(field: CronField, text: string): boolean {
  const withoutNames = text
    .toUpperCase()
    .replace(/[A-Z]{3}/g, (word) => (field.names?.includes(word) ? '' : word));
  return /[?LW#]/.test(withoutNames);
}

function itemProblems(field: CronField, item: string): string[] {
  if (item === '') return ['empty list item (stray comma?)'];
  const slash = item.split('/');
  if (slash.length > 2) return [`${JSON.stringify(item)} has more than one "/"`];
  const [base = '', step] = slash;
  const problems: string[] = [];

  if (step !== undefined) {
    const span = field.max - field.min;
    if (!/^\d+$/.test(step)) problems.push(`step ${JSON.stringify(step)} is not a whole number`);
    else if (Number(step) < 1 || Number(step) > span) {
      problems.push(`step ${step} is out of range 1-${span}`);
    }
  }

  if (base === '*') return problems;
  const bounds = base.split('-');
  if (bounds.length > 2) return [...problems, `${JSON.stringify(base)} is not a value or a range`];
  const values = bounds.map((bound) => fieldValue(field, bound));
  for (const value of values) if (typeof value === 'string') problems.push(value);
  const [start, end] = values;
  if (typeof start === 'number' && typeof end === 'number' && start > end) {
    problems.push(`range ${base} runs backwards (${start} > ${end})`);
  }
  return problems;
}

/** The number a field value stands for, or a sentence saying why it is not one. */
function fieldValue(field: CronField, text: string): number | string {
  const upper = text.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  if (named >= 0) return field.min + named;
  if (!/^\d+$/.test(text)) {
    const names = field.names ? ` or a name (${field.names.join(', ')})` : '';
    return `${JSON.stringify(text)} is not a number${names}`;
  }
  const value = Number(text);
  if (value < field.min || value > field.max) {
    return `${value} is out of range ${field.min}-${field.max}`;
  }
  return value;
}
