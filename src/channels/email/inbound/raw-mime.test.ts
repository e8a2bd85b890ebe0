import { describe, expect, it } from "vitest";
import { declaredCharsets, eightBitBytes, textParts } from "./raw-mime.js";

describe("reading a large mail's raw side on its bytes", () => {
  it("finds charsets declared past the first megabyte and across a window's end, in order, once each", () => {
    const filler = (n: number) => Buffer.from(`${"QUJD".repeat(19)}\r\n`.repeat(Math.ceil(n / 78)).slice(0, n), "latin1");
    const first = Buffer.from('Content-Type: text/plain; charset="iso-8859-2"\r\n', "latin1");
    // `charset=koi8-r` straddles the 1 MiB window boundary; the encoded word sits far beyond it.
    const before = filler((1 << 20) - first.length - 5);
    const raw = Buffer.concat([first, before, Buffer.from("\r\ncharset=koi8-r\r\n"), filler(2_500_000), Buffer.from("Subject: =?windows-1251?B?0tLS?=\r\n"), Buffer.from("charset=ISO-8859-2\r\n")]);
    expect(declaredCharsets(raw)).toEqual(["iso-8859-2", "koi8-r", "windows-1251"]);
  });

  it("collects whole 8-bit lines of a mail, also past the first megabyte", () => {
    const raw = Buffer.concat([Buffer.from("a\r\n"), Buffer.alloc(1_500_000, 0x41), Buffer.from("\r\nline \xe9t\xe9\r\nplain\r\n\xff", "latin1")]);
    expect(eightBitBytes(raw).toString("latin1")).toBe("line \xe9t\xe9\r\xff");
  });

  it("splits parts at delimiter lines only (CRLF or bare LF, trailing blanks), not at a boundary inside a line", () => {
    const raw = Buffer.from(
      "Content-Type: multipart/mixed; boundary=zz\n\n" +
        "preamble --zz not a delimiter\n" +
        "--zz  \nContent-Type: text/plain; charset=utf-8\n\nfirst --zz\r\n" +
        "--zz\r\nContent-Type: text/html\r\n\r\n<p>second</p>\r\n" +
        "--zz--\r\nepilogue\r\n--zz\r\nContent-Type: text/plain\r\n\r\nnot a part\r\n",
      "latin1",
    );
    expect(textParts(raw).map((p) => [p.type, p.charset, p.bytes.toString()])).toEqual([
      ["text/plain", "utf-8", "first --zz"],
      ["text/html", null, "<p>second</p>"],
    ]);
  });
});
