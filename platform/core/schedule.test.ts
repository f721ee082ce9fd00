import assert from "node:assert/strict";
import { ValidationError, parseOrThrow } from "./validation";
import {
  activeHoursPerDayOf,
  activeHoursPerMonth,
  isActiveAt,
  isIanaTimezone,
  ScheduleSchema,
  weeklyActiveHours,
} from "./schedule";

const parse = (input: unknown) => parseOrThrow(ScheduleSchema, input, "schedule");

describe("hibernation schedules", function () {
  it("counts active hours per week and per 730-hour month; overlapping windows count once", function () {
    const office = parse({
      timezone: "America/New_York",
      activeWindows: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }],
    });
    assert.equal(weeklyActiveHours(office), 40);
    assert.equal(activeHoursPerMonth(office), (40 * 730) / 168);
    assert.ok(Math.abs(activeHoursPerMonth(office) - 173.81) < 0.01);
    assert.ok(Math.abs(activeHoursPerDayOf(office) - 40 / 7) < 1e-9);
    const overlapping = parse({
      timezone: "UTC",
      activeWindows: [
        { days: ["mon"], from: "08:00", to: "12:00" },
        { days: ["mon", "mon"], from: "10:00", to: "14:30" },
      ],
    });
    assert.equal(weeklyActiveHours(overlapping), 6.5);
    const always = parse({
      timezone: "UTC",
      activeWindows: [{ days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], from: "00:00", to: "24:00" }],
    });
    assert.equal(activeHoursPerMonth(always), 730);
  });

  it("says which window is active at an instant, in the schedule's timezone", function () {
    const s = parse({ timezone: "Europe/Berlin", activeWindows: [{ days: ["mon"], from: "08:00", to: "18:00" }] });
    // Monday 2026-11-30 07:30 UTC = 08:30 in Berlin (CET, UTC+1).
    assert.equal(isActiveAt(s, new Date("2026-11-30T07:30:00Z")), true);
    assert.equal(isActiveAt(s, new Date("2026-11-30T06:30:00Z")), false);
    assert.equal(isActiveAt(s, new Date("2026-12-01T07:30:00Z")), false);
  });

  it("refuses bad input, naming the field", function () {
    const bad: Array<[unknown, RegExp]> = [
      [
        { timezone: "Mars/Olympus", activeWindows: [{ days: ["mon"], from: "08:00", to: "09:00" }] },
        /^schedule\.timezone: must be an IANA timezone/,
      ],
      [{ timezone: "UTC", activeWindows: [] }, /^schedule\.activeWindows: list at least one active window/],
      [
        { timezone: "UTC", activeWindows: [{ days: ["monday"], from: "08:00", to: "09:00" }] },
        /^schedule\.activeWindows\[0\]\.days\[0\]: "monday" is not a day/,
      ],
      [
        { timezone: "UTC", activeWindows: [{ days: [], from: "08:00", to: "09:00" }] },
        /^schedule\.activeWindows\[0\]\.days: list at least one day/,
      ],
      [
        { timezone: "UTC", activeWindows: [{ days: ["mon"], from: "8:00", to: "09:00" }] },
        /^schedule\.activeWindows\[0\]\.from: must be HH:MM/,
      ],
      [
        { timezone: "UTC", activeWindows: [{ days: ["mon"], from: "09:00", to: "09:00" }] },
        /^schedule\.activeWindows\[0\]\.to: must be after from/,
      ],
      [{ timezone: "UTC", activeWindows: [{ days: ["mon"], from: "22:00", to: "02:00" }] }, /two windows/],
    ];
    for (const [input, message] of bad) {
      assert.throws(
        () => parse(input),
        (e: unknown) =>
          e instanceof ValidationError && message.test(`${e.field}: ${e.message.replace(/^[^:]*: /, "")}`),
        JSON.stringify(input),
      );
    }
    assert.equal(isIanaTimezone("UTC"), true);
    assert.equal(isIanaTimezone("Asia/Kolkata"), true);
    assert.equal(isIanaTimezone("../etc/passwd"), false);
  });
});
