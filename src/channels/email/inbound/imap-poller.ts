import { and, eq, isNotNull } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { mailboxes, type Mailbox } from "../../../db/schema.js";
import type { Db } from "../../../db/store.js";
import type { Clock } from "../../../domain/clock.js";
import { ingestEmail } from "../../../commands/ingest-email.js";
import { causeMessage } from "./error-message.js";

export type PollDeps = { db: Db; clock: Clock; maxAttachmentBytes: number };

export type PollResult = {
  mailboxId: string;
  fetched: number;
  filed: { ticket: number; reply: number; ignored: number; quarantined: number; duplicate: number };
  uidValidity: number;
  lastUid: number;
};

/** An IMAP server could not be reached, refused the login or failed a command. The message never holds the password. */
export class MailboxUnreachableError extends Error {
  override name = "MailboxUnreachableError";
}

/** Polls of one mailbox run one at a time in this process (the background poller and "poll now" alike). */
const running = new Map<string, Promise<unknown>>();

/**
 * Polls one mailbox's IMAP folder once: takes every message with a UID above the stored last UID, each in
 * its own ingest transaction that also advances the last UID, then flags it \Seen. When the folder's
 * UIDVALIDITY differs from the stored one its UIDs mean other messages, so the poll starts over from the
 * first (mail taken in before is recognised by its Message-ID). A failure stops the poll at that message,
 * which the next poll takes again.
 */
export function pollMailbox(deps: PollDeps, mailboxId: string): Promise<PollResult> {
  const before = running.get(mailboxId) ?? Promise.resolve();
  const next = before.catch(() => undefined).then(() => pollOnce(deps, mailboxId));
  running.set(mailboxId, next);
  void next.finally(() => {
    if (running.get(mailboxId) === next) running.delete(mailboxId);
  }).catch(() => undefined);
  return next;
}

async function pollOnce(deps: PollDeps, mailboxId: string): Promise<PollResult> {
  const [mailbox] = await deps.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
  if (!mailbox?.imapHost || !mailbox.imapUser || !mailbox.imapPassword) throw new MailboxUnreachableError(`mailbox ${mailboxId} has no IMAP account`);
  const client = new ImapFlow({
    host: mailbox.imapHost,
    port: mailbox.imapPort ?? (mailbox.imapSecure ? 993 : 143),
    secure: mailbox.imapSecure,
    auth: { user: mailbox.imapUser, pass: mailbox.imapPassword },
    // imapflow's logger would write the protocol, LOGIN and its password included: off.
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    socketTimeout: 120_000,
  });
  // A connection error is also raised by the pending command; this keeps it from crashing the process.
  client.on("error", () => undefined);
  const result: PollResult = {
    mailboxId,
    fetched: 0,
    filed: { ticket: 0, reply: 0, ignored: 0, quarantined: 0, duplicate: 0 },
    uidValidity: mailbox.uidValidity ?? 0,
    lastUid: mailbox.lastUid,
  };
  try {
    await imap(`connecting to ${mailbox.imapHost}`, () => client.connect());
    const folder = await imap(`opening folder ${mailbox.imapFolder}`, () => client.mailboxOpen(mailbox.imapFolder));
    const uidValidity = Number(folder.uidValidity);
    if (mailbox.uidValidity !== uidValidity) {
      await deps.db.update(mailboxes).set({ uidValidity, lastUid: 0 }).where(eq(mailboxes.id, mailboxId));
      result.lastUid = 0;
    }
    result.uidValidity = uidValidity;
    const found = folder.exists === 0 ? [] : await imap("searching", () => client.search({ uid: `${result.lastUid + 1}:*` }, { uid: true }));
    // `n:*` also names the highest UID when it is below n, so the list is filtered.
    const uids = (found || []).filter((uid) => uid > result.lastUid).sort((a, b) => a - b);
    for (const uid of uids) {
      const message = await imap(`fetching UID ${uid}`, () => client.fetchOne(String(uid), { source: true }, { uid: true }));
      if (!message || !message.source) continue; // expunged meanwhile
      result.fetched += 1;
      const outcome = await ingestEmail(deps, {
        raw: message.source,
        mailbox: { id: mailbox.id, teamId: mailbox.teamId },
        source: { kind: "imap", uid, uidValidity },
        maxAttachmentBytes: deps.maxAttachmentBytes,
      });
      result.filed[outcome.status] += 1;
      result.lastUid = uid;
      await imap(`flagging UID ${uid} \\Seen`, () => client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true }));
    }
    return result;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** Runs one IMAP step, turning its failure into a MailboxUnreachableError that says which step failed and why. */
async function imap<T>(step: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const e = err as { message?: string; responseText?: string; code?: string };
    const why = [e.responseText, e.code, e.message].find((s) => typeof s === "string" && s.length > 0) ?? String(err);
    throw new MailboxUnreachableError(`IMAP ${step} failed: ${why}`);
  }
}

/** The wait before the next poll: the mailbox's interval, doubled per consecutive failure, at most an hour. */
export function nextPollDelayMs(pollSeconds: number, failures: number): number {
  const base = pollSeconds * 1000;
  return failures === 0 ? base : Math.max(base, Math.min(base * 2 ** failures, 3_600_000));
}

export type PollerLog = { warn: (obj: object, msg: string) => void; info?: (obj: object, msg: string) => void };

/**
 * Polls every active mailbox that has an IMAP host, each on its own interval; the list is read again
 * every `refreshMs`, so mailboxes added, changed or switched off through the API are picked up. A failing
 * mailbox is logged (its name, host and the server's answer; never the password) and backs off; the
 * others keep their pace. Several instances may poll the same mailbox: the Message-ID unique index files
 * each mail once.
 */
export class ImapPollers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly failures = new Map<string, number>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly deps: PollDeps,
    private readonly log: PollerLog,
    private readonly refreshMs = 30_000,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.refreshTimer = setInterval(() => void this.refresh().catch((err: Error) => this.log.warn({ error: causeMessage(err) }, "reading the mailboxes failed")), this.refreshMs);
  }

  /** Polls every pollable mailbox once, side by side; one failing does not stop the others. Returns the failures by mailbox. */
  async pollAll(): Promise<Map<string, Error>> {
    const list = await this.pollable();
    const failed = new Map<string, Error>();
    await Promise.all(
      list.map(async (m) => {
        try {
          await pollMailbox(this.deps, m.id);
          this.failures.delete(m.id);
        } catch (err) {
          failed.set(m.id, this.recordFailure(m, err));
        }
      }),
    );
    return failed;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...running.values()]);
  }

  private async pollable(): Promise<Mailbox[]> {
    return this.deps.db
      .select()
      .from(mailboxes)
      .where(and(eq(mailboxes.active, true), isNotNull(mailboxes.imapHost)));
  }

  private async refresh(): Promise<void> {
    const list = await this.pollable();
    const ids = new Set(list.map((m) => m.id));
    for (const [id, timer] of this.timers) {
      if (!ids.has(id)) {
        clearTimeout(timer);
        this.timers.delete(id);
      }
    }
    for (const m of list) if (!this.timers.has(m.id)) this.schedule(m.id, 0);
  }

  private schedule(mailboxId: string, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => void this.run(mailboxId), delayMs);
    timer.unref();
    this.timers.set(mailboxId, timer);
  }

  private async run(mailboxId: string): Promise<void> {
    const [m] = await this.deps.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId)).catch(() => [undefined]);
    if (!m || !m.active || !m.imapHost) {
      this.timers.delete(mailboxId);
      return;
    }
    try {
      const result = await pollMailbox(this.deps, mailboxId);
      this.failures.delete(mailboxId);
      if (result.fetched > 0) this.log.info?.({ mailbox: m.name, ...result.filed }, "mailbox polled");
    } catch (err) {
      this.recordFailure(m, err);
    }
    this.schedule(mailboxId, nextPollDelayMs(m.pollSeconds, this.failures.get(mailboxId) ?? 0));
  }

  private recordFailure(m: Mailbox, err: unknown): Error {
    const failures = (this.failures.get(m.id) ?? 0) + 1;
    this.failures.set(m.id, failures);
    const error = err instanceof Error ? err : new Error(String(err));
    this.log.warn(
      { mailbox: m.name, host: m.imapHost, failures, retryInSeconds: nextPollDelayMs(m.pollSeconds, failures) / 1000, error: causeMessage(error) },
      "polling a mailbox failed",
    );
    return error;
  }
}
