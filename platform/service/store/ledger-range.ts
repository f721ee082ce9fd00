/**
 * How a cost query's [from, to) splits over the ledger's tables (migration 013): the whole UTC
 * months inside it read `cost_ledger_monthly`, the whole UTC days outside those months read
 * `cost_ledger_daily`, and only the hours at the edges (before the first whole day, after the last)
 * read `cost_ledger`.
 *
 * An edge day that is mostly inside the range is read whole from `cost_ledger_daily`, and its hours
 * outside the range are subtracted (`minusHours`): an edge never reads more than 12 of its hours
 * from the hourly table, which holds 24× the daily one's rows per day. Counted with their signs
 * (`hours` and the rollup spans +1, `minusHours` −1), the pieces cover exactly the hours `h` with
 * from ≤ h < to, each once.
 */

/** Half-open [from, to) spans: hours as instants, days and months as UTC dates (YYYY-MM-DD). */
export interface LedgerSegments {
  hours: Array<[Date, Date]>;
  /** Hours of an edge day read whole from the daily rollup that lie outside the range: subtracted. */
  minusHours: Array<[Date, Date]>;
  days: Array<[string, string]>;
  months: Array<[string, string]>;
}

const HOUR = 3_600_000;
const HALF_DAY = 12 * HOUR;

const ceilHour = (d: Date): Date => new Date(Math.ceil(d.getTime() / HOUR) * HOUR);
/** Midnight UTC of (year, month, day), overflow carried (Date.UTC would read years 0-99 as 19xx). */
const utc = (y: number, m: number, d: number): Date => {
  const out = new Date(0);
  out.setUTCFullYear(y, m, d);
  return out;
};
const floorDay = (d: Date): Date => utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
const ceilDay = (d: Date): Date => {
  const f = floorDay(d);
  return f.getTime() === d.getTime() ? f : utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
};
const floorMonth = (d: Date): Date => utc(d.getUTCFullYear(), d.getUTCMonth(), 1);
const ceilMonth = (d: Date): Date => {
  const f = floorMonth(d);
  return f.getTime() === d.getTime() ? f : utc(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const ymd = (d: Date): string => d.toISOString().slice(0, 10);

function push<T>(into: Array<[T, T]>, from: Date, to: Date, as: (d: Date) => T): void {
  if (from.getTime() < to.getTime()) into.push([as(from), as(to)]);
}

/** See the module comment. An empty or inverted range has no segments. */
export function ledgerSegments(from: Date, to: Date): LedgerSegments {
  const out: LedgerSegments = { hours: [], minusHours: [], days: [], months: [] };
  // An hour h is in range iff ceilHour(from) ≤ h < ceilHour(to) (hours are whole).
  const f = ceilHour(from);
  const t = ceilHour(to);
  if (f.getTime() >= t.getTime()) return out;
  let d1 = ceilDay(f);
  let d2 = floorDay(t);
  if (d1.getTime() > d2.getTime()) {
    // Inside one UTC day.
    push(out.hours, f, t, (d) => d);
    return out;
  }
  // Each partial edge day: its hours in range, or (more than half of it in range) the whole day
  // from the rollup less the hours before `f` / from `t` on.
  if (d1.getTime() - f.getTime() > HALF_DAY) {
    d1 = floorDay(f);
    push(out.minusHours, d1, f, (d) => d);
  } else push(out.hours, f, d1, (d) => d);
  if (t.getTime() - d2.getTime() > HALF_DAY) {
    d2 = ceilDay(t);
    push(out.minusHours, t, d2, (d) => d);
  } else push(out.hours, d2, t, (d) => d);
  if (d1.getTime() >= d2.getTime()) return out;
  const m1 = ceilMonth(d1);
  const m2 = floorMonth(d2);
  if (m1.getTime() >= m2.getTime()) {
    push(out.days, d1, d2, ymd);
    return out;
  }
  push(out.days, d1, m1, ymd);
  push(out.days, m2, d2, ymd);
  push(out.months, m1, m2, ymd);
  return out;
}
