import { connect, type Socket } from "node:net";

/** A minimal SMTP client: one command, one reply; enough to time DATA → 250 without a library in between. */
export class SmtpClient {
  private buffer = "";
  private waiting: ((reply: string) => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.buffer += chunk.toString("utf8");
      // A complete reply ends with a line "NNN text" (a space after the code).
      const m = /(?:^|\r\n)(\d{3}) [^\r\n]*\r\n$/.exec(this.buffer);
      if (m && this.waiting) {
        const done = this.waiting;
        this.waiting = null;
        const reply = this.buffer;
        this.buffer = "";
        done(reply);
      }
    });
  }

  static async open(port: number): Promise<SmtpClient> {
    const socket = connect(port, "127.0.0.1");
    const client = new SmtpClient(socket);
    await client.reply(220);
    return client;
  }

  private reply(expected: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting = (r) => (r.startsWith(String(expected)) ? resolve(r) : reject(new Error(r.trim())));
    });
  }

  command(line: string, expected: number): Promise<string> {
    const r = this.reply(expected);
    this.socket.write(`${line}\r\n`);
    return r;
  }

  /** Sends one mail; returns the milliseconds from the end of DATA to the 250. */
  async send(from: string, to: string, body: string | Buffer): Promise<number> {
    return (await this.sendWithReply(from, to, body)).ms;
  }

  /** Sends one mail; returns the milliseconds from writing the message to the 250, and the 250 line. A Buffer body must need no dot-stuffing. */
  async sendWithReply(from: string, to: string, body: string | Buffer, opts: { declareSize?: boolean } = {}): Promise<{ ms: number; reply: string }> {
    // MTAs such as Postfix declare the size (RFC 1870) when the server advertises SIZE.
    await this.command(`MAIL FROM:<${from}>${opts.declareSize ? ` SIZE=${Buffer.byteLength(body)}` : ""}`, 250);
    await this.command(`RCPT TO:<${to}>`, 250);
    await this.command("DATA", 354);
    const r = this.reply(250);
    const t0 = process.hrtime.bigint();
    if (typeof body === "string") this.socket.write(body.replace(/(^|\r\n)\./g, "$1.."));
    else this.socket.write(body);
    this.socket.write("\r\n.\r\n");
    const reply = await r;
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, reply: reply.trim() };
  }

  async quit(): Promise<void> {
    await this.command("QUIT", 221).catch(() => undefined);
    this.socket.destroy();
  }
}
