import chardet from "chardet";
import iconv from "iconv-lite";

/**
 * Turning mail bytes into text without U+FFFD where the bytes have a reading. Mail in the wild declares
 * the wrong charset (Shift_JIS in a word labelled ISO-2022-JP), none at all (raw GB2312 in a Subject) or
 * mixes them (a Latin-1 line pasted into UTF-8). Each piece of bytes is decoded with the first charset
 * of a chain that reads it without error: the declared one, the mail's other declared charsets, UTF-8,
 * then what a detector guesses; bytes that nothing reads whole are decoded line by line, and a UTF-8 line
 * keeps its valid characters while its stray bytes are read as windows-1252 (Latin-1 as the last resort,
 * which reads every byte).
 */

/** A decoding and whether it needed more than the first charset of its chain (the declared one). */
export type Decoded = { text: string; charset: string; repaired: boolean };

const REPLACEMENT = "\ufffd";

/** The charset names iconv-lite knows, plus ISO-2022-JP (decoded here). */
function normalise(charset: string): string | null {
  const name = charset.trim().toLowerCase().replace(/^["']|["']$/g, "");
  if (!name) return null;
  if (/^(us-?)?ascii$|^ansi_x3\.4-1968$/.test(name)) return "utf-8"; // 8-bit bytes in "ASCII" text are most often UTF-8
  if (/^utf-?8$/.test(name)) return "utf-8";
  if (/^iso-?2022-?jp/.test(name)) return "iso-2022-jp";
  if (/^(gb2312|gb_2312-80|euc-cn|x-gbk|cp936|gbk)$/.test(name)) return "gbk"; // senders labelling GB2312 write GBK
  if (/^(ks_c_5601-1987|ks_c_5601|euc-kr|cp949|windows-949)$/.test(name)) return "cp949";
  if (/^(shift[-_]?jis|sjis|x-sjis|ms_kanji|windows-31j|cp932)$/.test(name)) return "shift_jis";
  if (/^utf-?7/.test(name)) return null; // never decoded: +ADw-script+AD4- would become <script>
  return iconv.encodingExists(name) ? name : null;
}

/** The bytes read in one charset, or null when they are not valid in it (a byte sequence it has no character for). */
export function decodeStrict(bytes: Buffer, charset: string): string | null {
  const name = normalise(charset);
  if (!name) return null;
  if (name === "iso-2022-jp") return decodeIso2022Jp(bytes);
  if (name === "utf-8") return isValidUtf8(bytes) ? bytes.toString("utf8") : null;
  const text = iconv.decode(bytes, name);
  // A genuine U+FFFD can only come from UTF-8 bytes, which are handled above.
  if (text.includes(REPLACEMENT)) return null;
  // Multi-byte charsets may skip what they cannot read: only a reading that gives the bytes back counts.
  if (isMultiByte(name) && !iconv.encode(text, name).equals(bytes)) return null;
  return text;
}

const isMultiByte = (name: string) => /^(gbk|gb18030|cp949|shift_jis|euc-jp|big5|big5hkscs|cp950)$/.test(name);

/** What a detector makes of the bytes, most likely first; only charsets that can decode. */
export function detectCharsets(bytes: Buffer): string[] {
  if (bytes.length === 0) return [];
  return chardet
    .analyse(bytes)
    .map((m) => m.name)
    .filter((n) => !/^utf-(16|32)/i.test(n) && normalise(n) !== null);
}

/**
 * Decodes bytes with the first charset of `chain` (in order, duplicates ignored) that reads them whole,
 * then with a detector's guesses, then line by line. Never returns U+FFFD for bytes that had a reading.
 */
export function decodeBytes(bytes: Buffer, chain: readonly string[], detectFrom: Buffer = bytes): Decoded {
  if (!hasEightBit(bytes) && !bytes.includes(0x1b)) return { text: bytes.toString("latin1"), charset: "us-ascii", repaired: false };
  const declared = candidates(chain);
  // UTF-8 (declared, or assumed without a label) that is mostly well-formed keeps its characters: a few
  // stray bytes must not make a single-byte charset, which reads anything, take over the whole text.
  const primary = normalise(chain[0] ?? "utf-8");
  const mostlyUtf8 = primary === "utf-8" && utf8Shape(bytes).sequences > utf8Shape(bytes).stray;
  for (const [i, charset] of declared.entries()) {
    if (mostlyUtf8 && charset !== "utf-8") continue;
    const text = decodeStrict(bytes, charset);
    if (text !== null) return { text, charset, repaired: i > 0 || normalise(chain[0] ?? "") === null };
  }
  // Only now the detector (it costs more than a decoding), on the larger context when one is given.
  const tried = [...new Set([...declared, ...detectCharsets(detectFrom).map(normalise).filter((n): n is string => n !== null)])];
  for (const charset of mostlyUtf8 ? [] : tried.slice(declared.length)) {
    const text = decodeStrict(bytes, charset);
    if (text !== null) return { text, charset, repaired: true };
  }
  // Nothing reads every byte: line by line, so one bad line does not turn the whole text into another charset.
  const lines: string[] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    lines.push(decodeLine(bytes.subarray(start, end), mostlyUtf8 ? ["utf-8"] : tried, primary));
    start = end + 1;
  }
  return { text: lines.join("\n"), charset: tried[0] ?? "utf-8", repaired: true };
}

/** The declared charsets, their kin and UTF-8, in order, once each. */
function candidates(chain: readonly string[]): string[] {
  const declared = chain.map(normalise);
  // Mail labelled ISO-2022-JP is often Shift_JIS or EUC-JP; the charsets of one language come next.
  const kin = declared.includes("iso-2022-jp") ? ["shift_jis", "euc-jp"] : [];
  const names = [...declared, ...kin, "utf-8"];
  return [...new Set(names.filter((n): n is string => n !== null))];
}

function decodeLine(line: Buffer, tried: readonly string[], primary: string | null): string {
  for (const charset of tried) {
    const text = decodeStrict(line, charset);
    if (text !== null) return text;
  }
  if (primary === "utf-8") return decodeUtf8Leniently(line);
  return readEveryByte(line);
}

/** UTF-8 whose stray bytes (not part of a valid sequence) are read as windows-1252. */
export function decodeUtf8Leniently(bytes: Buffer): string {
  let out = "";
  let stray: number[] = [];
  const flush = () => {
    if (stray.length) out += readEveryByte(Buffer.from(stray));
    stray = [];
  };
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      stray.push(bytes[i]!);
      i += 1;
    } else {
      flush();
      out += bytes.subarray(i, i + length).toString("utf8");
      i += length;
    }
  }
  flush();
  return out;
}

/** windows-1252, and Latin-1 for its five unassigned bytes: every byte has a character. */
function readEveryByte(bytes: Buffer): string {
  return [...bytes].map((b) => {
    const c = iconv.decode(Buffer.from([b]), "windows-1252");
    return c === REPLACEMENT ? String.fromCharCode(b) : c;
  }).join("");
}

/** How many multi-byte UTF-8 sequences and how many bytes outside any the bytes hold. */
function utf8Shape(bytes: Buffer): { sequences: number; stray: number } {
  let sequences = 0;
  let stray = 0;
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) stray += 1;
    else if (length > 1) sequences += 1;
    i += Math.max(length, 1);
  }
  return { sequences, stray };
}

const hasEightBit = (bytes: Buffer) => bytes.some((b) => b >= 0x80);

function isValidUtf8(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return false;
    i += length;
  }
  return true;
}

/** The length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, no surrogates), or 0. */
function utf8SequenceLength(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number) => i + k < b.length && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const c1 = b[i + 1] ?? 0;
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const c1 = b[i + 1] ?? 0;
    if ((c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * ISO-2022-JP (RFC 1468, with JIS X 0201 katakana and JIS X 0212 as mail software writes them), which
 * iconv-lite lacks: the two-byte sets are EUC-JP with the high bits cleared. Null when a byte is 8-bit or
 * a sequence is not valid: such bytes are not ISO-2022-JP (often Shift_JIS under the wrong label).
 */
export function decodeIso2022Jp(bytes: Buffer): string | null {
  type Mode = "ascii" | "jis0208" | "jis0212" | "katakana";
  let mode = "ascii" as Mode;
  const euc: number[] = [];
  let out = "";
  const flushEuc = (): boolean => {
    if (euc.length === 0) return true;
    const text = iconv.decode(Buffer.from(euc), "euc-jp");
    euc.length = 0;
    if (text.includes(REPLACEMENT)) return false;
    out += text;
    return true;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) return null;
    if (b === 0x1b) {
      const seq = bytes.subarray(i + 1, i + 4).toString("latin1");
      let next: Mode | null = null;
      let skip = 2;
      if (seq.startsWith("(B") || seq.startsWith("(J")) next = "ascii";
      else if (seq.startsWith("(I")) next = "katakana";
      else if (seq.startsWith("$@") || seq.startsWith("$B")) next = "jis0208";
      else if (seq.startsWith("$(D")) [next, skip] = ["jis0212", 3];
      else if (seq.startsWith("$(B") || seq.startsWith("$(Q")) [next, skip] = ["jis0208", 3];
      if (!next) return null;
      if (!flushEuc()) return null;
      mode = next;
      i += skip;
      continue;
    }
    if (mode === "ascii" || b === 0x0a || b === 0x0d) {
      if (!flushEuc()) return null;
      out += String.fromCharCode(b);
    } else if (mode === "katakana") {
      if (b < 0x21 || b > 0x5f) return null;
      euc.push(0x8e, b | 0x80);
    } else {
      const b2 = bytes[i + 1];
      if (b2 === undefined || b < 0x21 || b > 0x7e || b2 < 0x21 || b2 > 0x7e) return null;
      if (mode === "jis0212") euc.push(0x8f);
      euc.push(b | 0x80, b2 | 0x80);
      i += 1;
    }
  }
  return flushEuc() ? out : null;
}
