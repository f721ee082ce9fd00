/**
 * The embedded database's directory: one owner process (a lock file), and private to the user
 * that runs modelplane (directories 0700, files 0600: the database holds key hashes, specs and
 * audit rows, and PGlite creates its files 0666 minus the umask).
 */
import {
  chmodSync,
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import * as path from "node:path";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * When process `pid` started, in clock ticks since boot (Linux `/proc/<pid>/stat`, field 22,
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html, read 2026-11-30); null where there is
 * no procfs. A pid with another start time than the one recorded is another process (pid reuse).
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may contain spaces: count after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Is the lock's owner (`<pid> [<start time>]`) still the process that wrote it? */
function ownerAlive(content: string): number | null {
  const [pidText, start] = content.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return null;
  if (start !== undefined) {
    const now = processStartTime(pid);
    if (now !== null && now !== start) return null; // the pid was reused by another process
  }
  return pid;
}

/**
 * Embedded PGlite belongs to ONE process: two processes writing one data directory would corrupt
 * it. A lock file beside it holds the owner's pid and start time; a lock whose process is gone
 * (killed), or whose pid now belongs to another process, is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockPath = `${path.resolve(dataDir)}.lock`;
  mkdirSync(path.dirname(lockPath), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx", 0o600);
      const start = processStartTime(process.pid);
      writeSync(fd, start === null ? String(process.pid) : `${process.pid} ${start}`);
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = ownerAlive(readFileSync(lockPath, "utf8"));
      if (owner !== null) {
        throw new Error(
          `the embedded database ${dataDir} is in use by process ${owner}; ` +
            "embedded PGlite allows one process: stop it, or set DATABASE_URL to share a Postgres server",
          { cause: err },
        );
      }
      rmSync(lockPath, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

/** Make `dir` and everything below it private: directories 0700, files 0600 (symlinks untouched). */
export function makePrivate(dir: string): void {
  const walk = (p: string, depth: number): void => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      if ((st.mode & 0o777) !== 0o700) chmodSync(p, 0o700);
      if (depth < 32) for (const entry of readdirSync(p)) walk(path.join(p, entry), depth + 1);
    } else if ((st.mode & 0o777) !== 0o600) chmodSync(p, 0o600);
  };
  walk(dir, 0);
}
