import { decodeBytes, type Decoded } from "./decode-text.js";

/**
 * The raw side of a mail, read from its bytes where mailparser has already turned them into text (and
 * lost them): header values as bytes, every declared charset, and the text parts' bytes. Strings here
 * are "binary" (one character per byte, Latin-1) until decoded.
 */

/** One header as it came: its lower-case name and its unfolded value, one character per byte. */
export type RawHeader = { name: string; value: string };

/** The header block (as headers) and the body bytes of a mail or MIME part. */
export function splitMessage(bytes: Buffer): { headers: RawHeader[]; body: Buffer } {
  // The first empty line ends the header block (CRLF or bare LF line ends, as mail in the wild has).
  const crlf = bytes.indexOf("\r\n\r\n");
  const lf = bytes.indexOf("\n\n");
  const mixed = bytes.indexOf("\n\r\n");
  const ends = [
    [crlf, 4],
    [lf, 2],
    [mixed, 3],
  ].filter(([at]) => at! >= 0) as [number, number][];
  const [at, length] = ends.sort((a, b) => a[0] - b[0])[0] ?? [bytes.length, 0];
  const head = bytes.subarray(0, at).toString("latin1");
  const body = bytes.subarray(Math.min(bytes.length, at + length));
  const headers: RawHeader[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) headers[headers.length - 1]!.value += line;
    else {
      const colon = line.indexOf(":");
      if (colon > 0) headers.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).trim() });
    }
  }
  return { headers, body };
}

/** Every value of a header (mail may carry a header more than once, e.g. two Return-Path). */
export const headerValues = (headers: readonly RawHeader[], name: string) => headers.filter((h) => h.name === name).map((h) => h.value);

/** The charsets a mail declares anywhere (Content-Type parameters, encoded words, RFC 2231 values), in order. */
export function declaredCharsets(raw: Buffer): string[] {
  const found = [
    ...[...matchesIn(raw, /charset\s*=\s*"?([A-Za-z0-9_.:+-]+)/gi)].map((m) => ({ at: m.at, name: m.name })),
    ...[...matchesIn(raw, /=\?([A-Za-z0-9_.:+-]+)(?:\*[A-Za-z-]*)?\?[BbQq]\?/g)].map((m) => ({ at: m.at, name: m.name })),
    ...[...matchesIn(raw, /\*0?\*?\s*=\s*"?([A-Za-z0-9_.:+-]+)'[A-Za-z-]*'/g)].map((m) => ({ at: m.at, name: m.name })),
  ];
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.name.toLowerCase()))];
}

const WINDOW = 1 << 20;
const OVERLAP = 4096;

/**
 * The matches of a global pattern (its first group as `name`) in the bytes read as Latin-1, a window of
 * 1 MB at a time (with an overlap for a match across a window's end), so a large mail is never one string
 * (a 33 MB mail would be 33 MB of heap per reading). Matches do not overlap, as with one matchAll.
 */
function* matchesIn(raw: Buffer, pattern: RegExp): Generator<{ at: number; name: string }> {
  let covered = 0;
  for (let offset = 0; offset < raw.length; offset += WINDOW) {
    const text = raw.subarray(offset, offset + WINDOW + OVERLAP).toString("latin1");
    for (const m of text.matchAll(pattern)) {
      if (m.index >= WINDOW) break;
      if (offset + m.index < covered) continue;
      covered = offset + m.index + m[0].length;
      yield { at: offset + m.index, name: m[1]! };
    }
  }
}

/** The 8-bit bytes of a mail, for a detector to guess their charset from more than one short header. */
export function eightBitBytes(raw: Buffer): Buffer {
  const runs: Buffer[] = [];
  let size = 0;
  // Each line with a byte over 0x7f, whole, until 64 KiB are collected; read on the bytes, not a string.
  for (let i = 0; i < raw.length && size < 64 * 1024; i++) {
    if (raw[i]! < 0x80) continue;
    const start = raw.lastIndexOf(0x0a, i) + 1;
    const newline = raw.indexOf(0x0a, i);
    const end = newline === -1 ? raw.length : newline;
    runs.push(raw.subarray(start, end));
    size += end - start;
    i = end;
  }
  return Buffer.concat(runs).subarray(0, 64 * 1024);
}

const ENCODED_WORD = /=\?([^?\s]+?)(?:\*[A-Za-z-]*)?\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * Decodes a header value given one character per byte: RFC 2047 encoded words (adjacent words of one
 * charset joined before decoding, so a character split between two words stays whole) and raw 8-bit
 * text, each through the charset chain (its own label first, then `chain`).
 */
export function decodeHeaderValue(binary: string, chain: readonly string[], detectFrom?: Buffer): Decoded {
  let text = "";
  let repaired = false;
  let charset = "us-ascii";
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | null = null;
  const flushWords = () => {
    if (!pending) return;
    const d = decodeBytes(Buffer.concat(pending.bytes), [pending.charset, ...chain], detectFrom);
    text += d.text;
    repaired ||= d.repaired;
    charset = d.charset;
    pending = null;
  };
  const addRaw = (segment: string) => {
    if (!segment) return;
    const d = decodeBytes(Buffer.from(segment, "latin1"), ["utf-8", ...chain], detectFrom);
    text += d.text;
    if (d.charset !== "us-ascii") {
      repaired ||= d.charset !== "utf-8";
      charset = d.charset;
    }
  };
  for (const m of binary.matchAll(ENCODED_WORD)) {
    const between = binary.slice(last, m.index);
    const label = m[1]!.toLowerCase();
    const bytes = m[2]!.toUpperCase() === "B" ? Buffer.from(m[3]!, "base64") : qDecode(m[3]!);
    // Whitespace between two encoded words is not part of the text (RFC 2047 section 6.2).
    const joinsWord = pending !== null && /^\s*$/.test(between);
    if (joinsWord && pending!.charset === label) pending!.bytes.push(bytes);
    else {
      flushWords();
      if (!joinsWord) addRaw(between);
      pending = { charset: label, bytes: [bytes] };
    }
    last = m.index + m[0].length;
  }
  flushWords();
  addRaw(binary.slice(last));
  return { text, charset, repaired };
}

function qDecode(s: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "_") bytes.push(0x20);
    else if (c === "=" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
}

/** A Content-Type or Content-Disposition value: its lower-case value and its parameters (raw, unquoted). */
export function parseParams(binary: string): { value: string; params: Map<string, string> } {
  const [value = "", ...rest] = splitOutsideQuotes(binary, ";");
  const params = new Map<string, string>();
  for (const part of rest) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    let v = part.slice(eq + 1).trim();
    if (v.startsWith('"')) v = v.slice(1, v.endsWith('"') ? -1 : undefined).replace(/\\(.)/g, "$1");
    params.set(key, v);
  }
  return { value: value.trim().toLowerCase(), params };
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "\\" && quoted) {
      current += c + (s[i + 1] ?? "");
      i += 1;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** A text part of a mail (not an attachment): its type, declared charset and transfer-decoded bytes. */
export type TextPart = { type: "text/plain" | "text/html"; charset: string | null; bytes: Buffer };

/**
 * The text parts of a mail in order, as mailparser takes them for the text and HTML (parts without
 * `Content-Disposition: attachment` and without a file name), not descending into attached messages.
 */
export function textParts(raw: Buffer, depth = 0): TextPart[] {
  if (depth > 20) return [];
  const { headers, body } = splitMessage(raw);
  const type = parseParams(headerValues(headers, "content-type")[0] ?? "text/plain");
  const disposition = parseParams(headerValues(headers, "content-disposition")[0] ?? "");
  if (type.value.startsWith("multipart/")) {
    const boundary = type.params.get("boundary");
    if (!boundary) return [];
    return splitMultipart(body, boundary).flatMap((part) => textParts(part, depth + 1));
  }
  if (type.value !== "text/plain" && type.value !== "text/html") return [];
  if (disposition.value === "attachment" || disposition.params.has("filename") || type.params.has("name")) return [];
  const encoding = (headerValues(headers, "content-transfer-encoding")[0] ?? "").trim().toLowerCase();
  return [{ type: type.value, charset: type.params.get("charset") ?? null, bytes: transferDecode(body, encoding) }];
}

function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  // A delimiter line: `--boundary` (the last one `--boundary--`) at the start of a line, then only spaces
  // or tabs; the line break before it belongs to the delimiter, not to the part. Found on the bytes (a
  // Latin-1 string of a large mail's body would be a copy of it).
  const dashes = Buffer.from(`--${boundary}`, "latin1");
  const parts: Buffer[] = [];
  let start: number | null = null;
  for (let at = body.indexOf(dashes); at !== -1; at = body.indexOf(dashes, at + 1)) {
    if (at > 0 && body[at - 1] !== 0x0a) continue;
    let after = at + dashes.length;
    const closing = body[after] === 0x2d && body[after + 1] === 0x2d;
    if (closing) after += 2;
    while (body[after] === 0x20 || body[after] === 0x09) after++;
    const lineEnds = after === body.length || body[after] === 0x0a || (body[after] === 0x0d && body[after + 1] === 0x0a);
    if (!lineEnds) continue;
    const delimiterAt = at === 0 ? 0 : at >= 2 && body[at - 2] === 0x0d ? at - 2 : at - 1;
    if (start !== null) parts.push(body.subarray(start, Math.max(start, delimiterAt)));
    if (closing) return parts;
    start = body[after] === 0x0d && body[after + 1] === 0x0a ? after + 2 : body[after] === 0x0a ? after + 1 : after;
    at = after - 1; // the next delimiter is looked for after this one, as matchAll would
  }
  if (start !== null && start < body.length) parts.push(body.subarray(start));
  return parts;
}

function transferDecode(body: Buffer, encoding: string): Buffer {
  if (encoding === "base64") return Buffer.from(body.toString("latin1").replace(/[^A-Za-z0-9+/=]/g, ""), "base64");
  if (encoding === "quoted-printable") {
    const s = body.toString("latin1").replace(/=\r?\n/g, "");
    const bytes: number[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
        bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
        i += 2;
      } else bytes.push(s.charCodeAt(i) & 0xff);
    }
    return Buffer.from(bytes);
  }
  return body;
}
