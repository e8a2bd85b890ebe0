import { Readable } from "node:stream";
import type { Db, Tx } from "../db/store.js";

/** What a blob store is given to keep: a stream (or async iterable) of bytes, or bytes already in memory. */
export type BlobSource = Buffer | Readable | AsyncIterable<Uint8Array>;

/**
 * Content-addressed storage of file bytes (attachments, raw mail), outside the rows of the database: the
 * database keeps metadata and the SHA-256. Putting the same bytes twice stores them once. Neither method
 * holds a whole file in memory.
 */
export interface BlobStore {
  readonly kind: "fs" | "postgres";
  /** Stores the bytes (streamed) and returns their SHA-256 (hex) and size; idempotent. */
  put(source: BlobSource): Promise<{ sha256: string; size: number }>;
  /** The bytes of a stored blob, streamed; rejects with BlobNotFoundError (before streaming) when there is none. */
  get(sha256: string): Promise<Readable>;
  /** Whether a blob is stored. */
  has(sha256: string): Promise<boolean>;
  /**
   * Blobs last put before `cutoff` (a put of bytes already stored counts as a put), as candidates for the
   * orphan sweep; in no particular order.
   */
  staleBlobs(cutoff: Date): AsyncIterable<string>;
  /**
   * Deletes the blob if it was last put before `cutoff` and `stillUnreferenced()` (asked at that moment)
   * says nothing refers to it; a put of the same bytes meanwhile keeps it. Returns whether it was deleted.
   */
  deleteIfStale(sha256: string, cutoff: Date, stillUnreferenced: (tx?: Tx) => Promise<boolean>): Promise<boolean>;
  /** Removes what interrupted puts left behind before `cutoff` (temporary files or chunks); returns how many. */
  dropAbandonedUploads(cutoff: Date): Promise<number>;
}

/** A blob that is not (or no longer) in the store. */
export class BlobNotFoundError extends Error {
  override name = "BlobNotFoundError";
  constructor(readonly sha256: string) {
    super(`blob ${sha256} is not in the blob store`);
  }
}

export const isSha256 = (v: string) => /^[0-9a-f]{64}$/.test(v);

/** The source as chunks of bytes; a Buffer is one chunk (Readable.from(buffer) would yield single bytes). */
export function chunksOf(source: BlobSource): AsyncIterable<Uint8Array> {
  return Buffer.isBuffer(source) ? Readable.from([source]) : source;
}

/**
 * Reads a whole blob into memory: only for what must be whole (mailparser takes a buffer). With its size
 * known, the bytes are copied into one buffer of that size as they stream, never held twice.
 */
export async function readBlob(blobs: BlobStore, sha256: string, size?: number): Promise<Buffer> {
  const stream = await blobs.get(sha256);
  if (size !== undefined) {
    const whole = Buffer.allocUnsafe(size);
    let filled = 0;
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      if (filled + bytes.length > size) throw new Error(`blob ${sha256} is longer than its recorded ${size} bytes`);
      filled += bytes.copy(whole, filled);
    }
    if (filled !== size) throw new Error(`blob ${sha256} has ${filled} bytes, not its recorded ${size}`);
    return whole;
  }
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/**
 * The blob store of each opened store, keyed by its drizzle database: commands receive the database in
 * their context and find its blob store here, set when the store is opened (src/db/store.ts).
 */
const registry = new WeakMap<object, BlobStore>();

export function registerBlobStore(db: Db, blobs: BlobStore): void {
  registry.set(db, blobs);
}

/** The blob store that belongs to this database; throws if the store was opened without one. */
export function blobStoreOf(db: Db): BlobStore {
  const blobs = registry.get(db);
  if (!blobs) throw new Error("this store has no blob store (open it through src/db/store.ts)");
  return blobs;
}
