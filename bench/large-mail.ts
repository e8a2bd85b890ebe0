/**
 * Large inbound mail benchmark (issue 9, item 20): one mail with a large attachment over SMTP to the
 * listener of a Tierline server in its own process (`tierline serve` with TIERLINE_SMTP_LISTEN), on the
 * embedded PGlite store and on PostgreSQL. Each mail goes to a newly started server (the built one, as
 * `npm start` runs it), so its peak resident memory (VmHWM) is that mail's. The client declares the size
 * in MAIL FROM, as Postfix does. Prints one JSON line per store and mail size.
 *
 *   npm run bench:large-mail -- [--store pglite|postgres|both] [--sizes 13.7,32.8] [--timeout-seconds 180]
 *
 * Sizes are the whole mail in MB (10^6 bytes): a short text part and one base64 attachment making up the
 * rest (13.7 MB: a 10 MB file; 32.8 MB: a 24 MB file, within the default limits). `ms` runs from writing
 * the message to the listener's 250, which comes once the ticket, its attachment and the raw mail are stored.
 * The target is a peak under 350 MB + 2 × the mail's size on the embedded store.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { openStore, type Store } from "../src/db/store.js";
import { systemClock } from "../src/domain/clock.js";
import { SYSTEM } from "../src/domain/principal.js";
import { createLevel } from "../src/commands/create-level.js";
import { createTeam } from "../src/commands/create-team.js";
import { createMailbox } from "../src/commands/create-mailbox.js";
import { CreateMailboxBody } from "../src/schemas/mailbox.schemas.js";
import { queryRows } from "../src/db/raw.js";
import { freePort, serverPeakRssMb, startServer, stopServer } from "./support/server-process.js";
import { freshStore } from "./support/fresh-store.js";
import { SmtpClient } from "./support/smtp-client.js";

const MAILBOX = "support@bench.test";

const { values: args } = parseArgs({
  options: {
    store: { type: "string", default: "both" },
    sizes: { type: "string", default: "13.7,32.8" },
    "timeout-seconds": { type: "string", default: "180" },
    "postgres-url": { type: "string", default: process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
  },
});
const stores = args.store === "both" ? ["pglite", "postgres"] : [args.store!];
const sizes = args.sizes!.split(",").map(Number);
const timeoutMs = Math.min(Number(args["timeout-seconds"]), 600) * 1000; // benchmarks stay bounded

/** A mail of `totalBytes`: headers, a text part and one base64 attachment (76-character lines) making up the rest. */
function largeMail(totalBytes: number, i: number): { raw: Buffer; attachmentBytes: number } {
  const boundary = `bench-${i}-${process.pid}`;
  const head = [
    "From: Paula Example <paula@customer.test>",
    `To: Support <${MAILBOX}>`,
    `Subject: Scans of the damaged delivery (${(totalBytes / 1e6).toFixed(1)} MB)`,
    `Message-ID: <large-${i}-${process.pid}@customer.test>`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    "Hello, attached are the scans of the damaged delivery. Grüße, Paula",
    "",
    `--${boundary}`,
    "Content-Type: application/pdf",
    'Content-Disposition: attachment; filename="scans.pdf"',
    "Content-Transfer-Encoding: base64",
    "",
    "",
  ].join("\r\n");
  const tail = `\r\n--${boundary}--\r\n`;
  // Each 57 bytes of file become a 76-character line and CRLF (78 bytes).
  const lines = Math.max(1, Math.floor((totalBytes - head.length - tail.length) / 78));
  const file = randomBytes(lines * 57);
  const body = file.toString("base64").replace(/.{76}/g, "$&\r\n");
  return { raw: Buffer.concat([Buffer.from(head), Buffer.from(body), Buffer.from(tail)]), attachmentBytes: file.length };
}

async function prepare(store: Store): Promise<void> {
  const ctx = { db: store.db, clock: systemClock, actor: SYSTEM };
  const l1 = await createLevel(ctx, { name: "L1", rank: 1 });
  const team = await createTeam(ctx, { name: "Frontline", levelId: l1.id, kind: "frontline" });
  await createMailbox(ctx, CreateMailboxBody.parse({ name: "Support", address: MAILBOX, teamId: team.id }));
}

function rssMb(pid: number | undefined): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024);
  } catch {
    return null;
  }
}

async function runOne(kind: "postgres" | "pglite", sizeMb: number, i: number) {
  const { env, cleanup } = await freshStore(kind, args["postgres-url"]!, `bench_large_mail_${i}`);
  try {
    const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.TIERLINE_DATA_DIR ?? "" });
    await store.migrate();
    await prepare(store);
    await store.close();
    const mail = largeMail(Math.round(sizeMb * 1e6), i);
    const [httpPort, smtpPort] = [await freePort(), await freePort()];
    const server = await startServer(
      { ...env, TIERLINE_PORT: String(httpPort), TIERLINE_SMTP_LISTEN: `127.0.0.1:${smtpPort}`, TIERLINE_IMAP_POLL: "false", TIERLINE_LOG_LEVEL: "warn" },
      { built: true },
    );
    try {
      const startPeak = serverPeakRssMb(server);
      const smtp = await SmtpClient.open(smtpPort);
      await smtp.command("EHLO bench.test", 250);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)));
      const sent = await Promise.race([smtp.sendWithReply("paula@customer.test", MAILBOX, mail.raw, { declareSize: true }), timeout]).finally(() => clearTimeout(timer));
      await smtp.quit();
      const peak = serverPeakRssMb(server);
      const after = rssMb(server.pid);
      await stopServer(server);
      const check = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: env.TIERLINE_DATA_DIR ?? "" });
      const [stored] = await queryRows<{ n: number; bytes: number }>(check.db, sql`select count(*)::int as n, coalesce(sum(size), 0)::bigint::float8 as bytes from attachments`);
      await check.close();
      const mailMb = mail.raw.length / 1e6;
      return {
        store: kind,
        mailMb: Number(mailMb.toFixed(1)),
        attachmentMb: Number((mail.attachmentBytes / 1e6).toFixed(1)),
        ms: Math.round(sent.ms),
        reply: sent.reply,
        storedAttachments: stored!.n,
        storedAttachmentBytes: stored!.bytes,
        serverPeakRssAtStartMb: startPeak,
        serverPeakRssMb: peak,
        serverRssAfterMb: after,
        targetPeakRssMb: kind === "pglite" ? Math.round(350 + (2 * mail.raw.length) / 1024 / 1024) : null,
      };
    } finally {
      await stopServer(server);
    }
  } finally {
    await cleanup();
  }
}

let n = 0;
for (const kind of stores) {
  for (const size of sizes) {
    try {
      console.log(JSON.stringify(await runOne(kind as "postgres" | "pglite", size, n++)));
    } catch (err) {
      console.log(JSON.stringify({ store: kind, mailMb: size, error: (err as Error).message }));
    }
  }
}
