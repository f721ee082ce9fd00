/**
 * How a cost query's [from, to) splits over the ledger's tables (migration 013): the whole UTC
 * months inside it read `cost_ledger_monthly`, the whole UTC days outside those months read
 * `cost_ledger_daily`, and only the hours at the edges (before the first whole day, after the last)
 * read `cost_ledger`. The pieces are disjoint and cover exactly the hours `h` with from ≤ h < to.
 */

/** Half-open [from, to) spans: hours as instants, days and months as UTC dates (YYYY-MM-DD). */
export interface LedgerSegments {
  hours: Array<[Date, Date]>;
  days: Array<[string, string]>;
  months: Array<[string, string]>;
}

const HOUR = 3_600_000;

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
  const out: LedgerSegments = { hours: [], days: [], months: [] };
  // An hour h is in range iff ceilHour(from) ≤ h < ceilHour(to) (hours are whole).
  const f = ceilHour(from);
  const t = ceilHour(to);
  if (f.getTime() >= t.getTime()) return out;
  const d1 = ceilDay(f);
  const d2 = floorDay(t);
  if (d1.getTime() >= d2.getTime()) {
    push(out.hours, f, t, (d) => d);
    return out;
  }
  push(out.hours, f, d1, (d) => d);
  push(out.hours, d2, t, (d) => d);
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
