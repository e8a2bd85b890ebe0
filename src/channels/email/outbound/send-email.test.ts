import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../config.js";
import type { Delivery } from "../../../db/schema.js";
import { PermanentDeliveryError } from "../../../outbox/types.js";
import type { EmailPayload } from "./plan-email.js";
import { createEmailSender, redactSmtpUrl } from "./send-email.js";
import { startSmtpSink } from "../../../test-support/smtp-sink.js";

function delivery(payload: Partial<EmailPayload> & Record<string, unknown>, id = 1): Delivery {
  const full: EmailPayload = {
    to: { name: "Carol Example", address: "carol@customer.test" },
    from: "Tierline Support <support@tierline.test>",
    replyTo: "help@tierline.test",
    subject: "Re: [#42] Invoice charged twice",
    text: "Hello",
    html: "<p>Hello</p>",
    messageId: `<t42.${id}abc@tierline.test>`,
    inReplyTo: null,
    references: [],
    headers: { "X-Tierline-Delivery": `email:${id}:customer.agent_reply:carol@customer.test` },
    ...payload,
  } as EmailPayload;
  return {
    id,
    outboxId: null,
    channel: "email",
    topic: "customer.agent_reply",
    destination: full.to.address,
    subscriptionId: null,
    ticketId: null,
    idempotencyKey: full.headers["X-Tierline-Delivery"]!,
    payload: full as unknown as Record<string, unknown>,
    status: "pending",
    attempts: 0,
    nextAttemptAt: new Date(),
    lockedUntil: null,
    lastError: null,
    createdAt: new Date(),
    deliveredAt: null,
  };
}

describe("sending email over SMTP", async () => {
  const sink = await startSmtpSink({
    refuseRecipient: (address) =>
      address.startsWith("gone@") ? { code: 550, message: "5.1.1 No such user" } : address.startsWith("busy@") ? { code: 451, message: "4.3.0 Try again later" } : undefined,
  });
  const sender = createEmailSender({ smtpUrl: sink.url })!;
  afterAll(async () => {
    sender.close();
    await sink.close();
  });

  it("is not configured without an SMTP URL", () => {
    expect(createEmailSender({ smtpUrl: undefined })).toBeUndefined();
  });

  it("delivers the mail with its threading headers, emoji and escaped HTML intact", async () => {
    await sender(
      delivery({
        subject: "Re: [#42] Ärger mit der Rechnung 💳🚀",
        text: "Grüße 👋🏽 — we refunded 𝟒𝟗 EUR.\nLine two.",
        html: "<p>Grüße 👋🏽 &lt;script&gt;alert(1)&lt;/script&gt;</p>",
        messageId: "<t42.first@tierline.test>",
        inReplyTo: "<t42.earlier@tierline.test>",
        references: ["<customer-original@mail.customer.test>", "<t42.earlier@tierline.test>"],
        headers: { "X-Tierline-Delivery": "email:7:customer.agent_reply:carol@customer.test", "X-Tierline-Ticket": "42" },
      }),
    );
    const mail = sink.received.find((m) => m.parsed.messageId === "<t42.first@tierline.test>");
    expect(mail, "the mail reached the server").toBeDefined();
    const p = mail!.parsed;
    expect(mail!.envelopeTo).toEqual(["carol@customer.test"]);
    expect(p.subject).toBe("Re: [#42] Ärger mit der Rechnung 💳🚀");
    expect(p.text).toContain("Grüße 👋🏽 — we refunded 𝟒𝟗 EUR.");
    expect(p.html).toContain("Grüße 👋🏽 &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(p.html).not.toContain("<script>");
    expect(p.inReplyTo).toBe("<t42.earlier@tierline.test>");
    expect(p.references).toEqual(["<customer-original@mail.customer.test>", "<t42.earlier@tierline.test>"]);
    expect(p.replyTo?.value[0]?.address).toBe("help@tierline.test");
    expect(p.from?.value[0]).toMatchObject({ name: "Tierline Support", address: "support@tierline.test" });
    expect(p.to && !Array.isArray(p.to) ? p.to.value[0] : undefined).toMatchObject({ name: "Carol Example", address: "carol@customer.test" });
    expect(p.headers.get("x-tierline-delivery")).toBe("email:7:customer.agent_reply:carol@customer.test");
    expect(p.headers.get("auto-submitted")).toBeUndefined();
  });

  it("gives up at once on a permanent refusal (550) and keeps a temporary one (451) for a retry", async () => {
    const gone = await sender(delivery({ to: { name: "Gone", address: "gone@customer.test" } }, 2)).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(PermanentDeliveryError);
    expect(String((gone as Error).message)).toMatch(/550/);

    const busy = await sender(delivery({ to: { name: "Busy", address: "busy@customer.test" } }, 3)).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(Error);
    expect(busy).not.toBeInstanceOf(PermanentDeliveryError);
    expect(String((busy as Error).message)).toMatch(/451/);
    expect(sink.received.map((m) => m.envelopeTo[0])).not.toContain("gone@customer.test");
  });

  it("refuses a payload that is not an email for good", async () => {
    const broken = delivery({}, 4);
    broken.payload = { body: "a webhook body" };
    await expect(sender(broken)).rejects.toBeInstanceOf(PermanentDeliveryError);
  });

  it("retries when the server cannot be reached", async () => {
    const closed = await startSmtpSink();
    await closed.close();
    const offline = createEmailSender({ smtpUrl: closed.url })!;
    try {
      const err = await offline(delivery({}, 5)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(PermanentDeliveryError);
    } finally {
      offline.close();
    }
  });
});

describe("SMTP credentials", async () => {
  const password = "s3cr3t/p@ss word";
  const sink = await startSmtpSink({ user: { name: "tierline", password } });
  afterAll(() => sink.close());

  it("logs in with the URL's user and password", async () => {
    const sender = createEmailSender({ smtpUrl: sink.url })!;
    try {
      await sender(delivery({ messageId: "<t42.auth@tierline.test>" }, 6));
      expect(sink.received.map((m) => m.parsed.messageId)).toContain("<t42.auth@tierline.test>");
    } finally {
      sender.close();
    }
  });

  it("retries a failed log-in and never shows the password", async () => {
    const wrong = "wr0ng/p@ss";
    const url = sink.url.replace(encodeURIComponent(password), encodeURIComponent(wrong));
    const sender = createEmailSender({ smtpUrl: url })!;
    try {
      const err = (await sender(delivery({}, 7)).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(PermanentDeliveryError);
      expect(err.message).toMatch(/535|auth/i);
      expect(err.message).not.toContain(wrong);
      expect(err.message).not.toContain(encodeURIComponent(wrong));
    } finally {
      sender.close();
    }
    expect(redactSmtpUrl(url)).toBe(`smtp://tierline:***@127.0.0.1:${sink.port}`);
  });
});

describe("mail configuration", () => {
  it("has safe defaults: no SMTP server (mail waits), a local From and Message-ID domain", () => {
    expect(loadConfig({})).toMatchObject({ smtpUrl: undefined, mailFrom: "Tierline Support <support@localhost>", mailDomain: "localhost" });
  });

  it("stops start-up on a bad value, naming the variable but never the password", () => {
    const bad = () => loadConfig({ TIERLINE_SMTP_URL: "http://user:hunter2secret@mail.example.com", TIERLINE_MAIL_FROM: "nobody", TIERLINE_MAIL_DOMAIN: "bad domain" });
    expect(bad).toThrow(ConfigError);
    const message = (() => {
      try {
        bad();
      } catch (err) {
        return (err as Error).message;
      }
      return "";
    })();
    expect(message).toMatch(/TIERLINE_SMTP_URL/);
    expect(message).toMatch(/TIERLINE_MAIL_FROM/);
    expect(message).toMatch(/TIERLINE_MAIL_DOMAIN/);
    expect(message).not.toContain("hunter2secret");
    expect(loadConfig({ TIERLINE_SMTP_URL: "smtps://u:p%40ss@mail.example.com:465", TIERLINE_MAIL_FROM: "help@example.com" })).toMatchObject({
      smtpUrl: "smtps://u:p%40ss@mail.example.com:465",
      mailFrom: "help@example.com",
    });
  });
});
