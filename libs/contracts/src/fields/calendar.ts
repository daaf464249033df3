/** True when `year-month-day` exists in the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FMP_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function isFmpDateTime(value: string): boolean {
  const match = FMP_DATETIME.exec(value);
  if (match === null) return false;
  const [hour, minute, second] = [Number(match[4]), Number(match[5]), Number(match[6])];
  return (
    isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3])) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}
