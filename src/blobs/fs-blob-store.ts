import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import type { Tx } from "../db/store.js";
import { BlobNotFoundError, chunksOf, isSha256, type BlobSource, type BlobStore } from "./blob-store.js";

/**
 * Blobs as files under a folder (the embedded store's `<data>/blobs`): `ab/cdef…` for the SHA-256
 * `abcdef…`. A put writes to `tmp/<uuid>` while hashing, fsyncs it and renames it into place, so a file
 * under its hash is always complete (a crash leaves at most a stray temporary file); putting bytes that
 * are there already just drops the temporary file.
 */
export class FsBlobStore implements BlobStore {
  readonly kind = "fs" as const;

  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  async put(source: BlobSource): Promise<{ sha256: string; size: number }> {
    const tmpDir = join(this.root, "tmp");
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    const hash = createHash("sha256");
    let size = 0;
    const file = await open(tmp, "wx");
    try {
      for await (const chunk of chunksOf(source)) {
        hash.update(chunk);
        size += chunk.length;
        for (let at = 0; at < chunk.length; ) at += (await file.write(chunk, at, chunk.length - at)).bytesWritten;
      }
      await file.sync();
    } catch (err) {
      await file.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await file.close();
    const sha256 = hash.digest("hex");
    const target = this.pathOf(sha256);
    // Under the lock the sweep takes too: bytes stored already get a fresh time (so the sweep keeps them
    // for the row about to refer to them), or, swept a moment ago, are put back.
    await this.exclusive(async () => {
      if (await this.touch(target)) {
        await rm(tmp, { force: true });
      } else {
        await mkdir(dirname(target), { recursive: true });
        await rename(tmp, target);
        await syncFolder(dirname(target));
      }
    });
    return { sha256, size };
  }

  async *staleBlobs(cutoff: Date): AsyncIterable<string> {
    for (const prefix of await listFolder(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of await listFolder(join(this.root, prefix))) {
        const sha256 = prefix + rest;
        if (!isSha256(sha256)) continue;
        const info = await stat(this.pathOf(sha256)).catch(() => undefined);
        if (info && info.mtime < cutoff) yield sha256;
      }
    }
  }

  async deleteIfStale(sha256: string, cutoff: Date, stillUnreferenced: (tx?: Tx) => Promise<boolean>): Promise<boolean> {
    return this.exclusive(async () => {
      const info = await stat(this.pathOf(sha256)).catch(() => undefined);
      if (!info || info.mtime >= cutoff || !(await stillUnreferenced())) return false;
      await rm(this.pathOf(sha256), { force: true });
      return true;
    });
  }

  async dropAbandonedUploads(cutoff: Date): Promise<number> {
    const tmpDir = join(this.root, "tmp");
    let dropped = 0;
    for (const name of await listFolder(tmpDir)) {
      const info = await stat(join(tmpDir, name)).catch(() => undefined);
      if (info && info.mtime < cutoff) {
        await rm(join(tmpDir, name), { force: true });
        dropped += 1;
      }
    }
    return dropped;
  }

  /** Gives a stored blob the current time; false when there is none. */
  private async touch(path: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(path, now, now);
      return true;
    } catch {
      return false;
    }
  }

  private lock: Promise<unknown> = Promise.resolve();
  /** Runs `work` after every earlier one (this store's puts and sweeps take turns). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  async get(sha256: string): Promise<Readable> {
    if (!(await this.has(sha256))) throw new BlobNotFoundError(sha256);
    return createReadStream(this.pathOf(sha256));
  }

  async has(sha256: string): Promise<boolean> {
    if (!isSha256(sha256)) return false;
    try {
      return (await stat(this.pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }
}

/** A folder's entries; none when it does not exist. */
async function listFolder(path: string): Promise<string[]> {
  try {
    return await readdir(path);
  } catch {
    return [];
  }
}

/** Makes a rename durable: the folder's entry is flushed too (not possible on every platform; then skipped). */
async function syncFolder(path: string): Promise<void> {
  try {
    const folder = await open(path, "r");
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  } catch {
    // Some platforms cannot open or fsync a folder; the file itself was fsynced.
  }
}
