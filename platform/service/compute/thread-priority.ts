/**
 * Pool threads yield the CPU to the event loop: on Linux a thread has its own nice value
 * (setpriority(2) on a thread id, https://man7.org/linux/man-pages/man2/setpriority.2.html, read
 * 2026-12-01: "a call to setpriority() with `which` PRIO_PROCESS and `who` a thread ID affects only
 * that thread"), so a quote computed in a pool thread competes for a core with the rest of the
 * machine, not with the thread that answers every other caller.
 */
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/** How much nicer than the process a pool thread runs. */
export const POOL_THREAD_NICENESS = 10;

/**
 * Lower the calling thread's priority by `by` (at most to 19). Returns its new nice value, or
 * undefined where threads have no nice value of their own (not Linux) or the kernel refused.
 */
export function lowerThisThreadPriority(by: number = POOL_THREAD_NICENESS): number | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    // /proc/thread-self → "<pid>/task/<tid>": the calling thread's kernel id.
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) return undefined;
    setPriority(tid, Math.min(19, getPriority(tid) + by));
    return getPriority(tid);
  } catch {
    return undefined;
  }
}
