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
  const binary = raw.toString("latin1");
  const found = [
    ...[...binary.matchAll(/charset\s*=\s*"?([A-Za-z0-9_.:+-]+)/gi)].map((m) => ({ at: m.index, name: m[1]! })),
    ...[...binary.matchAll(/=\?([A-Za-z0-9_.:+-]+)(?:\*[A-Za-z-]*)?\?[BbQq]\?/g)].map((m) => ({ at: m.index, name: m[1]! })),
    ...[...binary.matchAll(/\*0?\*?\s*=\s*"?([A-Za-z0-9_.:+-]+)'[A-Za-z-]*'/g)].map((m) => ({ at: m.index, name: m[1]! })),
  ];
  return [...new Set(found.sort((a, b) => a.at - b.at).map((f) => f.name.toLowerCase()))];
}

/** The 8-bit bytes of a mail, for a detector to guess their charset from more than one short header. */
export function eightBitBytes(raw: Buffer): Buffer {
  const binary = raw.toString("latin1");
  const runs: Buffer[] = [];
  let size = 0;
  const eightBit = /[\x80-\xff]/g;
  for (let m = eightBit.exec(binary); m && size < 64 * 1024; m = eightBit.exec(binary)) {
    const start = binary.lastIndexOf("\n", m.index) + 1;
    const newline = binary.indexOf("\n", m.index);
    const end = newline === -1 ? binary.length : newline;
    runs.push(raw.subarray(start, end));
    size += end - start;
    eightBit.lastIndex = end + 1;
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
  const binary = body.toString("latin1");
  const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // A delimiter line: `--boundary` (the last one `--boundary--`) at the start of a line; the line break
  // before it belongs to the delimiter, not to the part.
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escaped}(--)?[ \\t]*(?=\\r?\\n|$)`, "g");
  const parts: Buffer[] = [];
  let start: number | null = null;
  for (const m of binary.matchAll(delimiter)) {
    if (start !== null) parts.push(body.subarray(start, Math.max(start, m.index)));
    if (m[1] === "--") return parts;
    const after = m.index + m[0].length;
    start = binary.startsWith("\r\n", after) ? after + 2 : binary.startsWith("\n", after) ? after + 1 : after;
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
