/** NYSE full-day holidays by rule (observed on the nearest weekday), for the fake market. */
export function nyseHolidays(year: number): Set<string> {
  const days = new Set<string>();
  const iso = (month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
  const observed = (date: Date) => {
    const dow = date.getUTCDay();
    const shifted = new Date(date);
    if (dow === 6) shifted.setUTCDate(date.getUTCDate() - 1);
    if (dow === 0) shifted.setUTCDate(date.getUTCDate() + 1);
    return shifted;
  };
  const nth = (month: number, weekday: number, n: number) => {
    const first = iso(month, 1);
    const offset = (weekday - first.getUTCDay() + 7) % 7;
    return iso(month, 1 + offset + (n - 1) * 7);
  };
  const last = (month: number, weekday: number) => {
    const end = new Date(Date.UTC(year, month, 0));
    const offset = (end.getUTCDay() - weekday + 7) % 7;
    return new Date(Date.UTC(year, month - 1, end.getUTCDate() - offset));
  };
  const add = (date: Date) => days.add(date.toISOString().slice(0, 10));
  // New Year's Day falling on a Saturday is not observed on the Friday before (NYSE rule 7.2).
  const newYear = iso(1, 1);
  if (newYear.getUTCDay() !== 6) add(observed(newYear));
  add(nth(1, 1, 3)); // Martin Luther King Jr. Day
  add(nth(2, 1, 3)); // Washington's Birthday
  const easter = easterSunday(year);
  add(new Date(easter.getTime() - 2 * 86_400_000)); // Good Friday
  add(last(5, 1)); // Memorial Day
  if (year >= 2022) add(observed(iso(6, 19))); // Juneteenth
  add(observed(iso(7, 4)));
  add(nth(9, 1, 1)); // Labor Day
  add(nth(11, 4, 4)); // Thanksgiving
  add(observed(iso(12, 25)));
  return days;
}

/** Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const holidayCache = new Map<number, Set<string>>();

export function isTradingDay(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`);
  const dow = day.getUTCDay();
  if (dow === 0 || dow === 6) return false;
  const year = day.getUTCFullYear();
  let holidays = holidayCache.get(year);
  if (holidays === undefined) {
    holidays = nyseHolidays(year);
    holidayCache.set(year, holidays);
  }
  return !holidays.has(date);
}

/** Trading days from `from` to `to`, inclusive, oldest first. */
export function tradingDays(from: string, to: string): string[] {
  const days: string[] = [];
  const day = new Date(`${from}T00:00:00Z`);
  const end = new Date(`${to}T00:00:00Z`);
  while (day <= end) {
    const iso = day.toISOString().slice(0, 10);
    if (isTradingDay(iso)) days.push(iso);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}
