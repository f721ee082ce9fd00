/**
 * Hibernation schedules (issue 15, item 5): the weekly windows a deployment serves in, in one IANA
 * timezone. Outside them it runs 0 replicas (a KEDA cron trigger, providers/kubernetes/autoscaling.ts),
 * so its nodes bill only the scheduled hours. Pure: the schema, validation and the hours.
 *
 * Hours are counted on a 168-hour week (overlapping windows count once) and scaled to the cost
 * model's 730-hour month: `activeHoursPerMonth = weeklyHours × 730 / 168`. Daylight-saving shifts
 * move a window by an hour in wall-clock terms but not its length, so they do not change the count.
 */
import { z } from "zod";
import { HOURS_PER_MONTH } from "./types";

/** Day names, Sunday first (cron's day-of-week numbering: sun = 0). */
export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;

/** Minutes after midnight of an `HH:MM` (24:00 = 1440). */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True when `tz` is a timezone this runtime's ICU knows (IANA names such as Europe/Berlin, UTC). */
export function isIanaTimezone(tz: string): boolean {
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(tz) && tz !== "UTC") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const ActiveWindowSchema = z
  .strictObject({
    days: z
      .array(
        z.enum(WEEKDAYS, {
          error: (i) => `"${String(i.input)}" is not a day; use one of ${WEEKDAYS.join(", ")}`,
        }),
      )
      .min(1, 'list at least one day (e.g. ["mon","tue","wed","thu","fri"])')
      .max(7),
    from: z.string().max(5).regex(HHMM, "must be HH:MM, 00:00-23:59 (e.g. 08:00)"),
    to: z
      .string()
      .max(5)
      .regex(HHMM, "must be HH:MM, 00:01-24:00 (e.g. 18:00; 24:00 is midnight at the end of the day)"),
  })
  .superRefine((w, ctx) => {
    if (HHMM.test(w.from) && HHMM.test(w.to) && minutesOf(w.to) <= minutesOf(w.from)) {
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `must be after from (${w.from}); a window past midnight is two windows (…-24:00 and 00:00-…)`,
      });
    }
  })
  .meta({ description: "Days and the local time span [from, to) the deployment serves in." });

export const ScheduleSchema = z
  .strictObject({
    timezone: z
      .string()
      .max(64)
      .refine(isIanaTimezone, { message: "must be an IANA timezone such as Europe/Berlin, America/New_York or UTC" })
      .meta({ description: "IANA timezone the windows are in." }),
    activeWindows: z
      .array(ActiveWindowSchema)
      .min(1, "list at least one active window; a schedule with none never serves")
      .max(28),
  })
  .superRefine((s, ctx) => {
    if (s.activeWindows.length > 0 && weeklyActiveMinutes(s) === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["activeWindows"],
        message: "the windows leave no active hour in the week",
      });
    }
  })
  .meta({
    id: "Schedule",
    description:
      "Hibernation: the deployment runs 0 replicas outside these weekly windows (a KEDA cron trigger); quotes, plans and the ledger bill only the scheduled hours.",
  });

export type Schedule = z.output<typeof ScheduleSchema>;
export type ActiveWindow = z.output<typeof ActiveWindowSchema>;

/** Minutes of the week covered by at least one window (overlaps count once). */
export function weeklyActiveMinutes(s: { activeWindows: ReadonlyArray<ActiveWindow> }): number {
  const week = new Uint8Array(7 * 1440);
  for (const w of s.activeWindows) {
    const from = minutesOf(w.from);
    const to = minutesOf(w.to);
    for (const d of new Set(w.days)) {
      const base = WEEKDAYS.indexOf(d) * 1440;
      if (base < 0) continue;
      week.fill(1, base + from, base + Math.max(from, to));
    }
  }
  let n = 0;
  for (const v of week) n += v;
  return n;
}

/** Active hours in a week (0-168). */
export function weeklyActiveHours(s: { activeWindows: ReadonlyArray<ActiveWindow> }): number {
  return weeklyActiveMinutes(s) / 60;
}

/** Active hours in the cost model's 730-hour month: weekly hours × 730 / 168. */
export function activeHoursPerMonth(s: { activeWindows: ReadonlyArray<ActiveWindow> }): number {
  return (weeklyActiveHours(s) * HOURS_PER_MONTH) / 168;
}

/** Active hours per day on average (0-24): the schedule as the quote's `activeHoursPerDay` unit. */
export function activeHoursPerDayOf(s: { activeWindows: ReadonlyArray<ActiveWindow> }): number {
  return weeklyActiveHours(s) / 7;
}

/** The local weekday and minute of `at` in `timezone`. */
function localTime(at: Date, timezone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  const day = WEEKDAYS.indexOf(get("weekday").toLowerCase().slice(0, 3) as Weekday);
  return { day, minute: Number(get("hour")) * 60 + Number(get("minute")) };
}

/** Is the deployment inside one of its windows at `at`? */
export function isActiveAt(s: Schedule, at: Date): boolean {
  const { day, minute } = localTime(at, s.timezone);
  return s.activeWindows.some(
    (w) => w.days.includes(WEEKDAYS[day] as Weekday) && minute >= minutesOf(w.from) && minute < minutesOf(w.to),
  );
}
