import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { blobChunks, inboundMail } from "../db/schema.js";
import { openTestStore } from "../test-support/test-store.js";
import { BlobNotFoundError, readBlob, type BlobStore } from "./blob-store.js";
import { FsBlobStore } from "./fs-blob-store.js";
import { CHUNK_BYTES, PostgresBlobStore } from "./postgres-blob-store.js";
import { ORPHAN_GRACE_MS, sweepOrphanBlobs } from "./sweep-orphans.js";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
/** A stream of `total` pseudo-random bytes in uneven pieces, never held whole. */
function streamOf(total: number, seed: number): { stream: Readable; expected: () => string } {
  const hash = createHash("sha256");
  let left = total;
  let x = seed;
  const stream = Readable.from(
    (function* () {
      while (left > 0) {
        const n = Math.min(left, 70_001 + (x % 50_000));
        const piece = Buffer.alloc(n);
        for (let i = 0; i < n; i++) piece[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
        hash.update(piece);
        left -= n;
        yield piece;
      }
    })(),
  );
  return { stream, expected: () => hash.digest("hex") };
}

describe("blob stores", async () => {
  const store = await openTestStore();
  const folder = mkdtempSync(join(tmpdir(), "tierline-blob-test-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const stores: [string, BlobStore][] = [
    ["fs", new FsBlobStore(folder)],
    ["postgres tables", new PostgresBlobStore(store.db)],
  ];

  describe.each(stores)("%s", (name, blobs) => {
    it("stores a stream under its SHA-256 and gives it back byte for byte", async () => {
      const { stream, expected } = streamOf(3 * CHUNK_BYTES + 12_345, 7);
      const put = await blobs.put(stream);
      expect(put).toEqual({ sha256: expected(), size: 3 * CHUNK_BYTES + 12_345 });
      expect(await blobs.has(put.sha256)).toBe(true);
      const back = await readBlob(blobs, put.sha256);
      expect(back.length).toBe(put.size);
      expect(sha(back)).toBe(put.sha256);
    });

    it("is idempotent: the same bytes twice are one blob", async () => {
      const bytes = Buffer.from("Grüße aus Berlin 📎\r\n".repeat(1000));
      const first = await blobs.put(bytes);
      const second = await blobs.put(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]));
      expect(second).toEqual(first);
      expect(first).toEqual({ sha256: sha(bytes), size: bytes.length });
      expect(await readBlob(blobs, first.sha256)).toEqual(bytes);
    });

    it("keeps an empty file", async () => {
      const put = await blobs.put(Buffer.alloc(0));
      expect(put).toEqual({ sha256: sha(Buffer.alloc(0)), size: 0 });
      expect((await readBlob(blobs, put.sha256)).length).toBe(0);
    });

    it("refuses a hash it does not have, and a forged one, before streaming", async () => {
      await expect(blobs.get("0".repeat(64))).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(blobs.get("../../etc/passwd")).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await blobs.has("../" + "a".repeat(61))).toBe(false);
    });

    it("keeps nothing of a put whose source fails", async () => {
      const failing = Readable.from(
        (function* () {
          yield Buffer.alloc(CHUNK_BYTES + 10, 1);
          throw new Error("connection reset");
        })(),
      );
      await expect(blobs.put(failing)).rejects.toThrow("connection reset");
      expect(await blobs.has(sha(Buffer.alloc(CHUNK_BYTES + 10, 1)))).toBe(false);
    });

    it("sweeps blobs nothing refers to once they are older than the grace, keeping referenced and re-put ones", async () => {
      const tag = `${name}-${Date.now()}`;
      const referenced = await blobs.put(Buffer.from(`raw mail ${tag}`));
      const orphan = await blobs.put(Buffer.from(`orphan ${tag}`));
      const again = await blobs.put(Buffer.from(`put twice ${tag}`));
      await store.db.insert(inboundMail).values({ source: "smtp", status: "ignored", rawSha256: referenced.sha256, rawSize: referenced.size });
      await new Promise((r) => setTimeout(r, 30));
      const between = new Date();
      await new Promise((r) => setTimeout(r, 30));
      // The same bytes put again (a new mail with the same attachment) count as new.
      await blobs.put(Buffer.from(`put twice ${tag}`));

      const swept = await sweepOrphanBlobs(store.db, blobs, new Date(between.getTime() + ORPHAN_GRACE_MS));
      expect(swept.deleted).toBeGreaterThanOrEqual(1);
      expect(await blobs.has(orphan.sha256)).toBe(false);
      expect(await blobs.has(referenced.sha256)).toBe(true);
      expect(await blobs.has(again.sha256)).toBe(true);
      expect((await readBlob(blobs, again.sha256)).toString()).toBe(`put twice ${tag}`);
      // A swept blob put again is stored afresh.
      expect(await blobs.put(Buffer.from(`orphan ${tag}`))).toEqual(orphan);
      expect((await readBlob(blobs, orphan.sha256)).toString()).toBe(`orphan ${tag}`);
      // Nothing younger than the grace goes.
      const fresh = await sweepOrphanBlobs(store.db, blobs, new Date());
      expect(fresh.deleted).toBe(0);
      expect(await blobs.has(orphan.sha256)).toBe(true);
    });
  });

  it("fs: files sit at <root>/ab/cdef… and no temporary file is left", async () => {
    const fs = new FsBlobStore(folder);
    const put = await fs.put(Buffer.from("hello"));
    expect(fs.pathOf(put.sha256)).toBe(join(folder, put.sha256.slice(0, 2), put.sha256.slice(2)));
    expect(readdirSync(join(folder, put.sha256.slice(0, 2)))).toContain(put.sha256.slice(2));
    expect(readdirSync(join(folder, "tmp"))).toEqual([]);
  });

  it("postgres tables: chunks of at most 1 MB, none left under an upload key", async () => {
    const pg = new PostgresBlobStore(store.db);
    const put = await pg.put(Buffer.alloc(2 * CHUNK_BYTES + 1, 9));
    const rows = await store.db.select({ key: blobChunks.key, seq: blobChunks.seq, data: blobChunks.data }).from(blobChunks);
    const mine = rows.filter((r) => r.key === put.sha256).sort((a, b) => a.seq - b.seq);
    expect(mine.map((r) => r.data.length)).toEqual([CHUNK_BYTES, CHUNK_BYTES, 1]);
    expect(rows.filter((r) => r.key.startsWith("upload:"))).toEqual([]);
  });
});
