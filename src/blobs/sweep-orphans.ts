import { eq, sql } from "drizzle-orm";
import { attachments, inboundMail } from "../db/schema.js";
import type { Db, Tx } from "../db/store.js";
import type { BlobStore } from "./blob-store.js";

/** How long an unreferenced blob is kept: longer than any put takes to reach the row that refers to it. */
export const ORPHAN_GRACE_MS = 24 * 60 * 60 * 1000;

export type SweepResult = { checked: number; deleted: number; abandonedUploads: number };

/** Whether any row refers to the blob: an attachment's bytes or an inbound mail's raw message. */
async function isReferenced(db: Db | Tx, sha256: string): Promise<boolean> {
  const one = sql<number>`1`;
  const [attachment] = await db.select({ one }).from(attachments).where(eq(attachments.sha256, sha256)).limit(1);
  if (attachment) return true;
  const [mail] = await db.select({ one }).from(inboundMail).where(eq(inboundMail.rawSha256, sha256)).limit(1);
  return mail !== undefined;
}

/**
 * Deletes blobs that nothing refers to any more and that were last put more than `graceMs` ago: the
 * bytes of a mail whose filing failed after its attachments were stored, or of a ticket deleted since.
 * Each deletion re-checks, at that moment and under the blob store's lock, that the blob is still old and
 * unreferenced, so a put of the same bytes racing the sweep keeps them. Also drops interrupted uploads.
 */
export async function sweepOrphanBlobs(db: Db, blobs: BlobStore, now: Date, graceMs = ORPHAN_GRACE_MS): Promise<SweepResult> {
  const cutoff = new Date(now.getTime() - graceMs);
  const result: SweepResult = { checked: 0, deleted: 0, abandonedUploads: 0 };
  const candidates: string[] = [];
  for await (const sha256 of blobs.staleBlobs(cutoff)) candidates.push(sha256);
  for (const sha256 of candidates) {
    result.checked += 1;
    if (await isReferenced(db, sha256)) continue;
    if (await blobs.deleteIfStale(sha256, cutoff, async (tx) => !(await isReferenced(tx ?? db, sha256)))) result.deleted += 1;
  }
  result.abandonedUploads = await blobs.dropAbandonedUploads(cutoff);
  return result;
}

/**
 * Sweeps orphan blobs in the background: a few minutes after start, then every six hours. Any number of
 * instances may run it (each deletion re-checks under a lock). Returns a stop function.
 */
export function startBlobSweeper(opts: {
  db: Db;
  blobs: BlobStore;
  now: () => Date;
  log: { info: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void };
  firstAfterMs?: number;
  everyMs?: number;
}): () => void {
  let stopped = false;
  let running: Promise<void> | undefined;
  const run = () => {
    if (stopped || running) return;
    running = sweepOrphanBlobs(opts.db, opts.blobs, opts.now())
      .then((r) => {
        if (r.deleted > 0 || r.abandonedUploads > 0) opts.log.info(r, "orphan blobs swept");
      })
      .catch((err: unknown) => opts.log.error({ err }, "sweeping orphan blobs failed"))
      .finally(() => (running = undefined));
  };
  const first = setTimeout(run, opts.firstAfterMs ?? 5 * 60_000);
  const every = setInterval(run, opts.everyMs ?? 6 * 60 * 60_000);
  first.unref();
  every.unref();
  return () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(every);
  };
}
