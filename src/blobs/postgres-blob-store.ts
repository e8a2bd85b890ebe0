import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { and, asc, eq, gt, like, lt, sql } from "drizzle-orm";
import { blobChunks, blobs } from "../db/schema.js";
import type { Db, Tx } from "../db/store.js";
import { BlobNotFoundError, chunksOf, isSha256, type BlobSource, type BlobStore } from "./blob-store.js";

/** Bytes per row of `blob_chunks`: one statement never carries more. */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * Blobs in the PostgreSQL server's own tables (`blobs`, `blob_chunks`): for servers without a shared
 * folder. A put writes 1 MB chunks under a temporary key while hashing, then, in one transaction, claims
 * the hash (or, when the bytes are stored already, drops its chunks). A get reads one chunk per step.
 * Meant for PostgreSQL: on the embedded store it would put the bytes back into its memory.
 */
export class PostgresBlobStore implements BlobStore {
  readonly kind = "postgres" as const;

  constructor(private readonly db: Db) {}

  async put(source: BlobSource): Promise<{ sha256: string; size: number }> {
    const key = `upload:${randomUUID()}`;
    const hash = createHash("sha256");
    let size = 0;
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async (all: boolean) => {
      while (pendingBytes >= CHUNK_BYTES || (all && pendingBytes > 0)) {
        const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
        const data = joined.subarray(0, CHUNK_BYTES);
        const rest = joined.subarray(data.length);
        pending = rest.length > 0 ? [rest] : [];
        pendingBytes = rest.length;
        await this.db.insert(blobChunks).values({ key, seq: seq++, data });
      }
    };
    try {
      for await (const chunk of chunksOf(source)) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
        hash.update(bytes);
        size += bytes.length;
        pending.push(bytes);
        pendingBytes += bytes.length;
        await flush(false);
      }
      await flush(true);
    } catch (err) {
      await this.db.delete(blobChunks).where(eq(blobChunks.key, key));
      throw err;
    }
    const sha256 = hash.digest("hex");
    await this.db.transaction(async (tx) => {
      // Bytes stored already get a fresh time instead (the sweep keeps them for the row about to refer to
      // them); `xmax = 0` tells a new row from one that was there.
      const [row] = await tx
        .insert(blobs)
        .values({ sha256, size })
        .onConflictDoUpdate({ target: blobs.sha256, set: { createdAt: sql`now()` } })
        .returning({ created: sql<boolean>`(xmax = 0)` });
      if (row?.created) await tx.update(blobChunks).set({ key: sha256 }).where(eq(blobChunks.key, key));
      else await tx.delete(blobChunks).where(eq(blobChunks.key, key));
    });
    return { sha256, size };
  }

  async get(sha256: string): Promise<Readable> {
    if (!(await this.has(sha256))) throw new BlobNotFoundError(sha256);
    const db = this.db;
    async function* chunks() {
      // One chunk per query, by position: memory holds one chunk at a time whatever the blob's size.
      let seq = -1;
      for (;;) {
        const [row] = await db
          .select({ seq: blobChunks.seq, data: blobChunks.data })
          .from(blobChunks)
          .where(and(eq(blobChunks.key, sha256), gt(blobChunks.seq, seq)))
          .orderBy(asc(blobChunks.seq))
          .limit(1);
        if (!row) return;
        seq = row.seq;
        yield row.data;
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async *staleBlobs(cutoff: Date): AsyncIterable<string> {
    let after = "";
    for (;;) {
      const page = await this.db
        .select({ sha256: blobs.sha256 })
        .from(blobs)
        .where(and(lt(blobs.createdAt, cutoff), gt(blobs.sha256, after)))
        .orderBy(asc(blobs.sha256))
        .limit(500);
      for (const row of page) yield row.sha256;
      if (page.length < 500) return;
      after = page.at(-1)!.sha256;
    }
  }

  async deleteIfStale(sha256: string, cutoff: Date, stillUnreferenced: (tx?: Tx) => Promise<boolean>): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // The row lock makes a concurrent put of the same bytes wait, or this wait for it (then it is fresh).
      const [row] = await tx.select({ createdAt: blobs.createdAt }).from(blobs).where(eq(blobs.sha256, sha256)).for("update");
      if (!row || row.createdAt >= cutoff || !(await stillUnreferenced(tx))) return false;
      await tx.delete(blobChunks).where(eq(blobChunks.key, sha256));
      await tx.delete(blobs).where(eq(blobs.sha256, sha256));
      return true;
    });
  }

  async dropAbandonedUploads(cutoff: Date): Promise<number> {
    const dropped = await this.db
      .delete(blobChunks)
      .where(and(like(blobChunks.key, "upload:%"), lt(blobChunks.createdAt, cutoff)))
      .returning({ key: blobChunks.key });
    return new Set(dropped.map((d) => d.key)).size;
  }

  async has(sha256: string): Promise<boolean> {
    if (!isSha256(sha256)) return false;
    const [row] = await this.db.select({ one: sql<number>`1` }).from(blobs).where(eq(blobs.sha256, sha256));
    return row !== undefined;
  }
}
