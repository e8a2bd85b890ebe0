import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

export type ReceivedMail = { parsed: ParsedMail; raw: string; envelopeTo: string[] };
/** An SMTP reply to refuse a recipient with, e.g. {code: 550, message: "no such user"}. */
export type Refusal = { code: number; message: string };

/**
 * A real SMTP server on 127.0.0.1 (a free port) for tests: no TLS, authentication optional (or required
 * with one user), every accepted message parsed with mailparser before the server answers 250, so a
 * send that resolved has its mail in `received` already.
 */
export async function startSmtpSink(opts: { refuseRecipient?: (address: string) => Refusal | undefined; user?: { name: string; password: string } } = {}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: !opts.user,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onAuth(auth, _session, callback) {
      if (opts.user && auth.username === opts.user.name && auth.password === opts.user.password) return callback(null, { user: auth.username });
      const err = Object.assign(new Error("Authentication failed"), { responseCode: 535 });
      return callback(err);
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = opts.refuseRecipient?.(address.address);
      if (refusal) return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            received.push({ parsed, raw: raw.toString("utf8"), envelopeTo: session.envelope.rcptTo.map((r) => r.address) });
            callback();
          })
          .catch((err: Error) => callback(err));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const credentials = opts.user ? `${encodeURIComponent(opts.user.name)}:${encodeURIComponent(opts.user.password)}@` : "";
  return {
    url: `smtp://${credentials}127.0.0.1:${port}`,
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
