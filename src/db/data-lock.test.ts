import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireDataLock, DataFolderLockedError, LOCK_FILE, lockHolderOf, type DataLock } from "./data-lock.js";

describe("the data folder lock", () => {
  const dirs: string[] = [];
  const locks: DataLock[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), "tierline-data-lock-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const l of locks.splice(0)) l.release();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  /** The pid of a process that ran and has exited. */
  const deadPid = async () => {
    const child = spawn(process.execPath, ["-e", ""]);
    await new Promise((done) => child.on("exit", done));
    return child.pid!;
  };

  it("writes the pid and then the URL, and releases only its own lock", () => {
    const dir = folder();
    const lock = acquireDataLock(join(dir, "data"), "serve");
    locks.push(lock);
    const file = join(dir, "data", LOCK_FILE);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ pid: process.pid, command: "serve" });
    lock.setUrl("http://127.0.0.1:3000");
    expect(lockHolderOf(join(dir, "data"))).toMatchObject({ pid: process.pid, url: "http://127.0.0.1:3000" });
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it("refuses while a running process holds it, naming that process, and leaves its lock alone", () => {
    const dir = folder();
    // The test runner's parent runs: a lock of its pid is a live one.
    const held = { pid: process.ppid, command: "serve", url: "http://127.0.0.1:3000", startedAt: new Date().toISOString(), token: "t" };
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify(held));
    let error: unknown;
    try {
      acquireDataLock(dir, "migrate");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DataFolderLockedError);
    expect((error as Error).message).toBe(`Tierline is running as pid ${process.ppid} at http://127.0.0.1:3000 (\`tierline serve\`) and holds the embedded store in ${dir}.`);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8"))).toEqual(held);
  });

  it("takes over a stale lock, an empty (half-written, abandoned) one, and a stale takeover guard", async () => {
    const dir = folder();
    const pid = await deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, command: "serve", startedAt: "", token: "old" }));
    writeFileSync(join(dir, `${LOCK_FILE}.takeover`), String(pid));
    expect(lockHolderOf(dir)).toBeUndefined();
    const lock = acquireDataLock(dir, "migrate");
    locks.push(lock);
    expect(lockHolderOf(dir)).toMatchObject({ pid: process.pid, command: "migrate" });
    lock.release();

    writeFileSync(join(dir, LOCK_FILE), "");
    const again = acquireDataLock(dir, "seed");
    locks.push(again);
    expect(lockHolderOf(dir)).toMatchObject({ pid: process.pid, command: "seed" });
  });
});
