import { readFile } from "node:fs/promises";
import type { Config } from "../../../config.js";
import type { Store } from "../../../db/store.js";
import type { Clock } from "../../../domain/clock.js";
import { ImapPollers } from "./imap-poller.js";
import { startSmtpListener, type SmtpListener } from "./smtp-listener.js";

export type InboundMail = { smtp: SmtpListener | undefined; stop(): Promise<void> };
type Log = { error: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void; info: (obj: object, msg: string) => void };

/**
 * Starts what `serve` runs for inbound mail, as configured: the SMTP listener (TIERLINE_SMTP_LISTEN, with
 * STARTTLS when TIERLINE_SMTP_TLS_KEY/CERT are given) and the IMAP pollers of the mailboxes
 * (TIERLINE_IMAP_POLL). `stop` closes both, letting polls and deliveries in flight finish.
 */
export async function startInboundMail(store: Store, clock: Clock, config: Config, log: Log): Promise<InboundMail> {
  const deps = { db: store.db, clock, maxAttachmentBytes: config.mailMaxAttachmentBytes };
  const tls = config.smtpTls ? { key: await readFile(config.smtpTls.keyFile), cert: await readFile(config.smtpTls.certFile) } : undefined;
  const smtp = config.smtpListen
    ? await startSmtpListener({ ...deps, host: config.smtpListen.host, port: config.smtpListen.port, maxBytes: config.mailMaxBytes, tls, log })
    : undefined;
  const pollers = config.imapPoll ? new ImapPollers(deps, log) : undefined;
  await pollers?.start();
  return {
    smtp,
    async stop() {
      await pollers?.stop();
      await smtp?.close();
    },
  };
}
