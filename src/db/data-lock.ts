import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";

/*
 * One writer per embedded store. PGlite is PostgreSQL in one process: a second process opening the same
 * data folder corrupts it or dies (`RuntimeError: Aborted()`). The process that opens the embedded store
 * holds `tierline.lock` in the data folder for its whole life: created atomically (O_EXCL), holding its
 * pid, its command and — once it serves HTTP — its URL, so others can name it and go through its API.
 * A lock whose pid no longer runs is stale and taken over. Children the holder starts for its own work
 * (the demo seed of `serve --demo`) inherit it through TIERLINE_DATA_LOCK_TOKEN.
 */

/** The lock file's name inside the data folder. */
export const LOCK_FILE = "tierline.lock";
/** The environment variable that hands the lock to a child of its holder. */
export const LOCK_TOKEN_ENV = "TIERLINE_DATA_LOCK_TOKEN";

/** What the lock file holds. */
export type LockHolder = { pid: number; command: string; url?: string | undefined; startedAt: string; token: string };

/** Thrown when another running process holds the data folder. */
export class DataFolderLockedError extends Error {
  constructor(
    readonly holder: LockHolder,
    readonly lockFile: string,
    readonly dataDir: string,
  ) {
    super(`${describeHolder(holder)} and holds the embedded store in ${dataDir}.`);
    this.name = "DataFolderLockedError";
  }
}

/** "Tierline is running as pid 1234 at http://127.0.0.1:3000 (`tierline serve`)". */
export function describeHolder(holder: LockHolder): string {
  return `Tierline is running as pid ${holder.pid}${holder.url ? ` at ${holder.url}` : ""} (\`tierline ${holder.command}\`)`;
}

/** A held lock. */
export type DataLock = {
  readonly file: string;
  /** Whether this process inherited the lock from its parent (and so leaves it to the parent to release). */
  readonly inherited: boolean;
  /** Records the URL this process serves, for other commands to reach it. */
  setUrl(url: string): void;
  /** The environment a child needs to work on the store under this lock. */
  childEnv(): Record<string, string>;
  /** Removes the lock file (also done on exit, SIGINT and SIGTERM). */
  release(): void;
};

/** Whether a process with this pid runs (one of another user counts: it runs). */
export function isRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The holder in a lock file, undefined when there is none; a file being written is waited for briefly. */
function readHolder(file: string): LockHolder | undefined | "unreadable" {
  for (let attempt = 0; ; attempt++) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    try {
      const holder = JSON.parse(text) as LockHolder;
      if (Number.isSafeInteger(holder.pid)) return holder;
    } catch {
      // Created but not yet written (the creator writes right after creating it): look again.
    }
    if (attempt >= 20) return "unreadable";
    sleep(50);
  }
}

/** The running process that holds the data folder, if any (a stale lock counts as none). */
export function lockHolderOf(dataDir: string): LockHolder | undefined {
  const holder = readHolder(join(dataDir, LOCK_FILE));
  return holder && holder !== "unreadable" && isRunning(holder.pid) ? holder : undefined;
}

/** Creates `file` with `content` only if it does not exist; false if it does. */
function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, "wx", 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a stale lock file, unless someone else took it over meanwhile: under a short-lived guard file
 * of its own (also O_EXCL), so two processes finding the same stale lock cannot both take it.
 */
function removeStale(file: string, stale: LockHolder | "unreadable"): void {
  const guard = `${file}.takeover`;
  if (!createExclusive(guard, String(process.pid))) {
    // Another process is taking over; if it died doing so, its guard is stale too.
    let guardPid = Number.NaN;
    try {
      guardPid = Number(readFileSync(guard, "utf8"));
    } catch {
      return;
    }
    if (!isRunning(guardPid)) unlinkSync(guard);
    else sleep(20);
    return;
  }
  try {
    const now = readHolder(file);
    const same = now === "unreadable" ? stale === "unreadable" : now !== undefined && stale !== "unreadable" && now.token === stale.token;
    if (same) unlinkSync(file);
  } finally {
    unlinkSync(guard);
  }
}

/**
 * Takes the exclusive lock on an embedded store's data folder for this process (created if missing), or
 * throws `DataFolderLockedError` naming the running process that holds it. A stale lock (its pid no longer
 * runs) is taken over. A child of the holder given its token (`childEnv()`) shares the holder's lock.
 */
export function acquireDataLock(dataDir: string, command: string): DataLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const inheritedToken = process.env[LOCK_TOKEN_ENV];
  for (let attempt = 0; ; attempt++) {
    const holder = readHolder(file);
    if (holder && holder !== "unreadable" && isRunning(holder.pid)) {
      if (inheritedToken !== undefined && holder.token === inheritedToken && holder.pid === process.ppid) return inheritedLock(file, holder);
      throw new DataFolderLockedError(holder, file, dataDir);
    }
    if (holder !== undefined) removeStale(file, holder);
    const mine: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString(), token: randomBytes(16).toString("hex") };
    if (createExclusive(file, JSON.stringify(mine))) return ownLock(file, mine);
    if (attempt > 50) throw new Error(`could not take the lock ${file}`);
  }
}

function inheritedLock(file: string, holder: LockHolder): DataLock {
  return { file, inherited: true, setUrl: () => undefined, childEnv: () => ({ [LOCK_TOKEN_ENV]: holder.token }), release: () => undefined };
}

function ownLock(file: string, mine: LockHolder): DataLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    // Only our own lock: never one a later process took over.
    const now = readHolder(file);
    if (now && now !== "unreadable" && now.token === mine.token) unlinkSync(file);
  };
  // A command that handles the signal itself (serve, worker) closes and exits, and 'exit' releases the
  // lock; one that does not would die without running 'exit' handlers: release, then die of the signal.
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return;
    release();
    process.kill(process.pid, signal);
  };
  process.on("exit", release);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    file,
    inherited: false,
    setUrl(url) {
      mine.url = url;
      // Replaced whole (rename is atomic), so a reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      const fd = openSync(tmp, "w", 0o600);
      try {
        writeSync(fd, JSON.stringify(mine));
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
    },
    childEnv: () => ({ [LOCK_TOKEN_ENV]: mine.token }),
    release,
  };
}
