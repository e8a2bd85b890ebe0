import { Readable } from "node:stream";
import { MailParser, type Attachment, type AttachmentStream, type MailParserOptions, type ParsedMail } from "mailparser";

/** Where an attachment's decoded bytes go as they stream: it returns their SHA-256 (hex) and size. */
export type AttachmentSink = (content: Readable) => Promise<{ sha256: string; size: number }>;

/** An attachment as parsed: `content` is empty when its bytes went to the sink (then `checksum` and `size` are theirs). */
export type ParsedAttachment = Attachment & { streamed: boolean };

/** A parsed mail whose attachments say whether their bytes went to the sink. */
export type Parsed = Omit<ParsedMail, "attachments"> & { attachments: ParsedAttachment[] };

/**
 * mailparser's `simpleParser`, except that, with a sink, each attachment's bytes are handed to it as they
 * are decoded instead of being collected and joined into one Buffer (for a 24 MB attachment that is the
 * 24 MB kept plus its chunks while they are joined). Attached mails (message/rfc822, message/global) are
 * still kept whole: their subject names the file. The same events as simpleParser (mailparser 3.x).
 */
export function parseMail(raw: Buffer, options: MailParserOptions & { keepCidLinks: true }, sink?: AttachmentSink): Promise<Parsed> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err: unknown, mail?: Parsed) => {
      if (settled) return;
      settled = true;
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(mail!);
    };
    const mail = { attachments: [] as ParsedAttachment[] } as unknown as Parsed & Record<string, unknown>;
    const parser = new MailParser(options);
    parser.on("error", (err: Error) => settle(err));
    parser.on("headers", (headers) => {
      mail.headers = headers;
      mail.headerLines = (parser as unknown as { headerLines: ParsedMail["headerLines"] }).headerLines;
    });
    let reading = false;
    const read = (): void => {
      reading = true;
      const data = parser.read() as (AttachmentStream | (Record<string, unknown> & { type: "text" })) | null;
      if (data === null) {
        reading = false;
        return;
      }
      if (data.type === "text") {
        for (const key of ["text", "html", "textAsHtml", "textConversionError"]) if (key in data) mail[key] = data[key];
        return read();
      }
      const attachment = data as AttachmentStream;
      const stream = attachment.content as unknown as Readable;
      const keepWhole = /^message\/(rfc822|global)$/i.test(attachment.contentType ?? "");
      const done = (fields: { content: Buffer; streamed: boolean; checksum?: string; size?: number }) => {
        mail.attachments.push(Object.assign(attachment, fields) as unknown as ParsedAttachment);
        (attachment as unknown as { release(): void }).release();
        read();
      };
      if (keepWhole || !sink) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => done({ content: Buffer.concat(chunks), streamed: false }));
        stream.on("error", (err: Error) => settle(err));
      } else {
        sink(stream).then(
          (stored) => done({ content: Buffer.alloc(0), streamed: true, checksum: stored.sha256, size: stored.size }),
          (err: unknown) => {
            settle(err);
            parser.destroy();
          },
        );
      }
    };
    parser.on("readable", () => {
      if (!reading) read();
    });
    parser.on("end", () => {
      for (const key of ["subject", "references", "date", "to", "from", "cc", "bcc", "message-id", "in-reply-to", "reply-to"]) {
        if (mail.headers?.has(key)) mail[key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = mail.headers.get(key);
      }
      settle(null, mail);
    });
    // Fed in slices of the one buffer (no copies), so the decoders hand an attachment on in pieces too,
    // not as one decoded buffer of its whole size.
    Readable.from(slicesOf(raw)).pipe(parser);
  });
}

const SLICE = 64 * 1024;

function* slicesOf(raw: Buffer): Generator<Buffer> {
  for (let at = 0; at < raw.length; at += SLICE) yield raw.subarray(at, at + SLICE);
}
