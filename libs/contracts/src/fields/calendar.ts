/** True when `year-month-day` exists in the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `isCalendarDate` by arithmetic: it runs on every date of every record (a regex and a Date per
 * call cost ~1 µs, a million times per benchmark run). Years below 100 are refused, as there:
 * `Date.UTC` reads them as 1900–1999, so no such date ever round-tripped.
 */
function existsInCalendar(year: number, month: number, day: number): boolean {
  if (year < 100 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number));
}

/** The number the ASCII digits of `text[from, from + length)` spell, or -1. */
function digitsAt(text: string, from: number, length: number): number {
  let value = 0;
  for (let index = from; index < from + length; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const DASH = 45;
const SPACE = 32;
const COLON = 58;

/** `YYYY-MM-DD` (ASCII digits) naming a day that exists. */
export function isIsoDate(value: string): boolean {
  return (
    value.length === 10 &&
    value.charCodeAt(4) === DASH &&
    value.charCodeAt(7) === DASH &&
    existsInCalendar(digitsAt(value, 0, 4), digitsAt(value, 5, 2), digitsAt(value, 8, 2))
  );
}

/** `YYYY-MM-DD HH:MM:SS` naming a day that exists and a time of day (no leap second). */
export function isFmpDateTime(value: string): boolean {
  if (
    value.length !== 19 ||
    value.charCodeAt(10) !== SPACE ||
    value.charCodeAt(13) !== COLON ||
    value.charCodeAt(16) !== COLON ||
    !isIsoDate(value.slice(0, 10))
  ) {
    return false;
  }
  const [hour, minute, second] = [
    digitsAt(value, 11, 2),
    digitsAt(value, 14, 2),
    digitsAt(value, 17, 2),
  ];
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}
