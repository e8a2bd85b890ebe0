import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { bytesOf, composeMail, rawMail } from "../../../test-support/inbound-mail.js";
import { readMail } from "./read-mail.js";

const opts = { ownAddresses: new Set(["support@tierline.test"]), maxAttachmentBytes: 1_000_000 };

describe("reading an inbound mail", () => {
  it("gives a mail without Message-ID a stable one from its bytes", async () => {
    const raw = Buffer.from("From: a@example.test\r\nSubject: no id\r\n\r\nhello\r\n");
    const [first, again] = [await readMail(raw, opts), await readMail(raw, opts)];
    expect(first.messageId).toMatch(/^<[0-9a-f]{64}\.no-message-id@tierline\.invalid>$/);
    expect(again.messageId).toBe(first.messageId);
  });

  it("reads In-Reply-To and References (nearest first) as bracketed ids", async () => {
    const raw = Buffer.from("From: a@example.test\r\nIn-Reply-To: <x@t>\r\nReferences: <a@t>\r\n <b@t> <x@t>\r\nSubject: re\r\n\r\nhi\r\n");
    const mail = await readMail(raw, opts);
    expect([mail.inReplyTo, mail.references]).toEqual([["<x@t>"], ["<x@t>", "<b@t>", "<a@t>"]]);
  });

  it("shortens a long subject without splitting an emoji", async () => {
    const mail = await readMail(await composeMail({ from: "a@example.test", subject: `${"x".repeat(299)}😀 tail`, text: "t" }), opts);
    expect(mail.subject).toBe("x".repeat(299));
    expect(mail.subject).not.toMatch(/[\ud800-\udbff]$/);
  });

  it("keeps only the base name of an attachment's file name", async () => {
    const mail = await readMail(await composeMail({ from: "a@example.test", text: "t", attachments: [{ filename: "../../etc/passwd", content: "x" }, { filename: false, content: "y" }] }), opts);
    expect(mail.attachments.map((a) => a.filename)).toEqual(["passwd", "attachment-2"]);
  });

  it("ignores a stored bounce by its empty Return-Path and mail from our own address (a loop)", async () => {
    const bounce = await readMail(Buffer.from("Return-Path: <>\r\nFrom: x@example.test\r\nSubject: failed\r\n\r\nno\r\n"), opts);
    expect(bounce.verdict).toEqual({ kind: "ignore", reason: "bounce (empty return path)" });
    const loop = await readMail(Buffer.from("From: Support <SUPPORT@tierline.test>\r\nSubject: hi\r\n\r\nno\r\n"), opts);
    expect(loop.verdict).toEqual({ kind: "ignore", reason: "mail loop: sent from our own mailbox address support@tierline.test" });
  });
});

const FFFD = "\ufffd";
/** Every string a mail gives the ticket: none may hold U+FFFD where its bytes had a reading. */
const storedText = (m: Awaited<ReturnType<typeof readMail>>) => [m.subject, m.fromName ?? "", m.text, m.html ?? "", ...m.attachments.map((a) => a.filename)];

/** Per charset: a subject, a display name and a body of a real support mail in that language. */
const LANGUAGES = [
  { charset: "gb2312", subject: "发票有误，请退款", name: "李明", body: "您好，我的发票金额不对，请尽快帮我处理退款。谢谢！我已经等了两个星期了。" },
  { charset: "gbk", subject: "訂單問題（繁體字在GBK裡）", name: "王小明", body: "您好，我的订单还没有到，请帮我查一下物流信息。谢谢您的帮助！" },
  { charset: "shift_jis", subject: "請求書について", name: "山田 太郎", body: "こんにちは、請求書の金額が間違っています。至急ご確認ください。よろしくお願いします。" },
  { charset: "euc-kr", subject: "환불 요청", name: "김민수", body: "안녕하세요, 주문한 상품이 아직 도착하지 않았습니다. 환불을 요청합니다. 감사합니다." },
  { charset: "big5", subject: "發票錯誤", name: "陳大文", body: "您好，我的發票金額不對，請盡快幫我處理退款。謝謝！我已經等了兩個星期了。" },
  { charset: "windows-1251", subject: "Проблема с заказом №123", name: "Иван Петров", body: "Здравствуйте, мой заказ до сих пор не пришёл. Прошу вернуть деньги за заказ." },
  { charset: "koi8-r", subject: "Возврат денег", name: "Ольга Смирнова", body: "Здравствуйте, мой заказ до сих пор не пришёл. Прошу вернуть деньги за заказ." },
  { charset: "iso-8859-2", subject: "Reklamacja zamówienia", name: "Łukasz Żółć", body: "Dzień dobry, proszę o zwrot pieniędzy za zamówienie." },
  { charset: "windows-1252", subject: "Réclamation – facture “urgent”", name: "François Müller", body: "Bonjour, la facture est fausse… merci de la corriger. Grüße, Øystein" },
];

describe("reading 8-bit mail whatever its charset labels say (issue 9, item 16)", () => {
  it.each(LANGUAGES)("reads a raw $charset Subject and From name by the charset the body part declares", async ({ charset, subject, name, body }) => {
    const raw = rawMail(
      "From: ", bytesOf(name, charset), " <customer@example.test>\r\nSubject: ", bytesOf(subject, charset), "\r\nMessage-ID: <raw@example.test>\r\n",
      `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=${charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`, bytesOf(body, charset), "\r\n",
    );
    const mail = await readMail(raw, opts);
    expect([mail.subject, mail.fromName, mail.fromAddress, mail.text]).toEqual([subject, name, "customer@example.test", body]);
  });

  it.each(LANGUAGES.filter((l) => !/^(iso-8859-2|windows-1252|gbk)$/.test(l.charset)))(
    "detects $charset in a mail that declares no charset at all: subject, name and body",
    async ({ charset, subject, name, body }) => {
      const raw = rawMail("From: ", bytesOf(name, charset), " <c@example.test>\r\nSubject: ", bytesOf(subject, charset), "\r\n\r\n", bytesOf(body, charset), "\r\n");
      const mail = await readMail(raw, opts);
      expect([mail.subject, mail.fromName, mail.text]).toEqual([subject, name, body]);
    },
  );

  it("reads Shift_JIS under an ISO-2022-JP label, in encoded words and in the body, and true ISO-2022-JP still", async () => {
    const sjis = bytesOf("【至急】請求書の再発行について", "shift_jis");
    const raw = rawMail(
      `From: =?ISO-2022-JP?B?${bytesOf("佐藤花子", "shift_jis").toString("base64")}?= <hanako@example.test>\r\n`,
      // Split over two words in the middle of a character, as some mailers fold.
      `Subject: =?ISO-2022-JP?B?${sjis.subarray(0, 7).toString("base64")}?=\r\n =?ISO-2022-JP?B?${sjis.subarray(7).toString("base64")}?=\r\n`,
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
      bytesOf("お世話になっております。請求書を再発行してください。", "shift_jis"), "\r\n",
    );
    const mail = await readMail(raw, opts);
    expect([mail.subject, mail.fromName, mail.text]).toEqual(["【至急】請求書の再発行について", "佐藤花子", "お世話になっております。請求書を再発行してください。"]);

    // Real ISO-2022-JP (JIS X 0208 between ESC $ B and ESC ( B), in a word and in the body.
    const jis = Buffer.from("\x1b$B$3$s$K$A$O\x1b(B Tanaka", "latin1"); // こんにちは Tanaka
    const proper = await readMail(
      rawMail(`From: a@example.test\r\nSubject: =?ISO-2022-JP?B?${jis.toString("base64")}?=\r\nContent-Type: text/plain; charset=iso-2022-jp\r\n\r\n`, jis, "\r\n"),
      opts,
    );
    expect([proper.subject, proper.text]).toEqual(["こんにちは Tanaka", "こんにちは Tanaka"]);
  });

  it("reads Outlook's ks_c_5601-1987 words and a body labelled us-ascii that is windows-1251", async () => {
    const korean = bytesOf("똠방각하 환불 문의", "cp949"); // 똠 is outside EUC-KR's KS X 1001 set
    const body = "Здравствуйте! Посылка пришла повреждённой, прошу заменить товар или вернуть деньги.";
    const raw = rawMail(
      `From: =?ks_c_5601-1987?B?${bytesOf("이영희", "cp949").toString("base64")}?= <lee@example.kr>\r\nSubject: =?ks_c_5601-1987?B?${korean.toString("base64")}?=\r\n`,
      "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", bytesOf(body, "windows-1251"), "\r\n",
    );
    const mail = await readMail(raw, opts);
    expect([mail.subject, mail.fromName, mail.text]).toEqual(["똠방각하 환불 문의", "이영희", body]);
  });

  it("reads an 8-bit attachment file name by its part's declared charset, not as Latin-1", async () => {
    const gbName = bytesOf("发票2026年3月.pdf", "gb2312");
    const sjisName = bytesOf("見積書.xlsx", "shift_jis");
    const raw = rawMail(
      "From: a@example.test\r\nSubject: files\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n",
      "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsee attached\r\n",
      '--b1\r\nContent-Type: application/pdf; charset=GB2312; name="', gbName, '"\r\nContent-Disposition: attachment; filename="', gbName, '"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n',
      '--b1\r\nContent-Type: application/vnd.ms-excel; charset=shift_jis; name="', sjisName, '"\r\nContent-Transfer-Encoding: base64\r\n\r\nUEs=\r\n',
      '--b1\r\nContent-Type: text/plain; name="caf=?utf-8?Q?=C3=A9?=.txt"\r\nContent-Disposition: attachment; filename*=utf-8\'\'na%C3%AFve.txt\r\n\r\nx\r\n--b1--\r\n',
    );
    const mail = await readMail(raw, opts);
    expect(mail.attachments.map((a) => a.filename)).toEqual(["发票2026年3月.pdf", "見積書.xlsx", "naïve.txt"]);
  });

  it("keeps UTF-8 text whole and reads its stray bytes (Latin-1, windows-1252) instead of storing U+FFFD", async () => {
    const body = Buffer.concat([Buffer.from("Grüße aus Köln 😀\r\nPreis: 10 "), Buffer.from([0x80]), Buffer.from("\r\nmixed: Größe und caf"), Buffer.from([0xe9]), Buffer.from(" ok\r\n")]);
    const declared = await readMail(rawMail("From: a@example.test\r\nSubject: t\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", body), opts);
    expect(declared.text).toBe("Grüße aus Köln 😀\r\nPreis: 10 €\r\nmixed: Größe und café ok".replaceAll("\r", ""));
    // Quoted-printable HTML with a stray byte, no charset declared.
    const html = await readMail(rawMail("From: a@example.test\r\nSubject: t\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Gr=C3=BC=C3=9Fe, Jos=E9</p>\r\n"), opts);
    expect(html.html).toContain("<p>Grüße, José</p>");
    expect(html.text).toBe("Grüße, José");
  });

  it("stores no U+FFFD for any fixture, and keeps a U+FFFD the sender really wrote", async () => {
    for (const { charset, subject, name, body } of LANGUAGES) {
      const raw = rawMail("From: ", bytesOf(name, charset), " <c@example.test>\r\nSubject: ", bytesOf(subject, charset), `\r\nContent-Type: text/plain; charset=${charset}\r\n\r\n`, bytesOf(body, charset));
      for (const text of storedText(await readMail(raw, opts))) expect(text, charset).not.toContain(FFFD);
    }
    const real = await readMail(rawMail("From: a@example.test\r\nSubject: t\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbroken: \xef\xbf\xbd\r\n"), opts);
    expect(real.text).toBe(`broken: ${FFFD}`);
  });
});

describe("the sender of a mail (issue 9, item 17)", () => {
  it.each([
    ['"Support Team" <>, Ana Real <ana@example.test>', "ana@example.test", "Ana Real"],
    ['"Ana" <> <ana@example.test>', "ana@example.test", "Ana"],
    ["<>, =?utf-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@example.test>", "jose@example.test", "José Pérez"],
    ['"Pérez, José" <JOSE@Example.test>', "jose@example.test", "Pérez, José"],
    ["ana@example.test (Ana from Sales)", "ana@example.test", "Ana from Sales"],
    ['"Ana \\"the boss\\" Real" <ana@example.test>', "ana@example.test", 'Ana "the boss" Real'],
    ["Team: Ana <ana@example.test>, bob@example.test;", "ana@example.test", "Ana"],
  ])("From: %s is %s named %s", async (from, address, name) => {
    const mail = await readMail(Buffer.from(`From: ${from}\r\nSubject: hi\r\n\r\nhello\r\n`), opts);
    expect(mail.verdict).toEqual({ kind: "accept", from: { address, name } });
    expect([mail.fromAddress, mail.fromName]).toEqual([address, name]);
  });

  it.each([
    ["john smith@example.test", "john smith@example.test"],
    ['"john smith"@example.test', '"john smith"@example.test'],
    ["Ana <john smith@example.test>", "john smith@example.test"],
    ['"Support" <>, john smith@example.test', "john smith@example.test"],
    ["Ana <ana@@example.test>", "ana@@example.test"],
    ["Ana <ana.example.test>", "ana.example.test"],
  ])("From: %s is no valid mailbox: quarantined, not made into another address", async (from, written) => {
    const mail = await readMail(Buffer.from(`From: ${from}\r\nSubject: hi\r\n\r\nhello\r\n`), opts);
    expect(mail.verdict).toEqual({ kind: "quarantine", reason: `the From address ${JSON.stringify(written)} is not a valid mailbox` });
    expect(mail.fromAddress).toBe(written);
  });

  it("quarantines a From with only empty addresses as having no usable address", async () => {
    const mail = await readMail(Buffer.from('From: "Support Team" <>\r\nSubject: hi\r\n\r\nhello\r\n'), opts);
    expect(mail.verdict).toEqual({ kind: "quarantine", reason: "no usable From address" });
  });
});

describe("two Return-Path headers (issue 9, item 18)", () => {
  it.each([
    ["the listener's own is null", "Return-Path: <>\r\nReturn-Path: <someone@example.test>\r\n"],
    ["the one the mail carried is null", "Return-Path: <someone@example.test>\r\nReturn-Path: <>\r\n"],
    ["both are null, one with a comment", "Return-Path: <>\r\nReturn-Path: < > (bounce)\r\n"],
  ])("ignores the mail as a bounce when %s", async (_case, headers) => {
    const mail = await readMail(Buffer.from(`${headers}From: x@example.test\r\nSubject: Undelivered\r\n\r\nno\r\n`), opts);
    expect(mail.verdict).toEqual({ kind: "ignore", reason: "bounce (empty return path)" });
  });

  it("accepts a mail whose Return-Paths all name a sender", async () => {
    const mail = await readMail(Buffer.from("Return-Path: <a@example.test>\r\nReturn-Path: <b@example.test>\r\nFrom: x@example.test\r\nSubject: hi\r\n\r\nyes\r\n"), opts);
    expect(mail.verdict.kind).toBe("accept");
  });
});

describe("naming unnamed parts (issue 9, item 19)", () => {
  it("names a forwarded mail after its subject (.eml, fit for a file name) and other unnamed parts attachment-N", async () => {
    const raw = rawMail(
      "From: a@example.test\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n",
      "--b\r\nContent-Type: text/plain\r\n\r\nforwarding two mails\r\n",
      "--b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\nFrom: c@example.test\r\nSubject: Re: invoice 2026/03 <urgent>: paid?\r\n\r\ninner one\r\n",
      "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: d@example.test\r\nSubject: =?utf-8?B?0KHRh9C10YIg4oSWNQ==?=\r\n\r\ninner two\r\n",
      "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: e@example.test\r\nSubject: ", bytesOf("发票", "gb2312"), "\r\nContent-Type: text/plain; charset=gb2312\r\n\r\nx\r\n",
      "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: f@example.test\r\n\r\nno subject\r\n",
      "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n",
    );
    const mail = await readMail(raw, opts);
    expect(mail.attachments.map((a) => a.filename)).toEqual(["Re_ invoice 2026_03 _urgent_ paid.eml", "Счет №5.eml", "发票.eml", "attachment-4.eml", "attachment-5"]);
  });
});

describe("reading a mail whose attachments stream into a store", () => {
  it("hands each file's bytes over in chunks as they are decoded, keeps none of them, and keeps an attached mail whole", async () => {
    const file = Buffer.alloc(300_000);
    for (let i = 0; i < file.length; i++) file[i] = (i * 7919) % 251;
    const raw = await composeMail({
      from: "a@example.test",
      text: "see the scan",
      attachments: [
        { filename: "scan.bin", content: file, contentType: "application/octet-stream" },
      ],
    });
    const received: { chunks: number; bytes: Buffer }[] = [];
    const mail = await readMail(raw, {
      ...opts,
      storeAttachment: async (content) => {
        const chunks: Buffer[] = [];
        for await (const chunk of content) chunks.push(chunk as Buffer);
        const bytes = Buffer.concat(chunks);
        received.push({ chunks: chunks.length, bytes });
        return { sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
      },
    });
    expect(received).toHaveLength(1);
    expect(received[0]!.bytes.equals(file)).toBe(true);
    expect(received[0]!.chunks).toBeGreaterThan(1);
    expect(mail.attachments).toMatchObject([{ filename: "scan.bin", size: file.length, sha256: createHash("sha256").update(file).digest("hex"), content: null }]);
  });

  it("keeps an attached mail whole (its subject names it) and streams the other files", async () => {
    const raw = rawMail(
      "From: a@example.test\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n",
      "--b\r\nContent-Type: text/plain\r\n\r\nforwarding\r\n",
      "--b\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\nFrom: c@example.test\r\nSubject: Forwarded order\r\n\r\ninner\r\n",
      "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n",
    );
    const streamed: Buffer[] = [];
    const mail = await readMail(raw, { ...opts, storeAttachment: async (content) => {
      const chunks: Buffer[] = [];
      for await (const chunk of content) chunks.push(chunk as Buffer);
      streamed.push(Buffer.concat(chunks));
      return { sha256: createHash("sha256").update(streamed.at(-1)!).digest("hex"), size: streamed.at(-1)!.length };
    } });
    expect(streamed).toEqual([Buffer.from([0, 1, 2])]);
    expect(mail.attachments.map((a) => [a.filename, a.content === null])).toEqual([["Forwarded order.eml", false], ["attachment-2", true]]);
  });

  it("reads the same mail the same way with and without a store", async () => {
    const raw = await composeMail({ from: "a@example.test", subject: "Two files", html: '<p>see <img src="cid:logo@x"></p>', attachments: [{ filename: "a.txt", content: "alpha" }, { filename: "logo.png", content: Buffer.from("png"), cid: "logo@x" }] });
    const kept = await readMail(raw, opts);
    const streamed = await readMail(raw, { ...opts, storeAttachment: async (content) => {
      const chunks: Buffer[] = [];
      for await (const chunk of content) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      return { sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
    } });
    const shape = (m: typeof kept) => ({ ...m, html: m.html?.replace(/[0-9a-f-]{36}/g, "ID"), attachments: m.attachments.map(({ filename, contentType, size, sha256 }) => ({ filename, contentType, size, sha256 })) });
    expect(shape(streamed)).toEqual(shape(kept));
    expect(streamed.html).toContain(`/api/v1/attachments/${streamed.attachments.find((a) => a.filename === "logo.png")!.id}`);
  });
});
