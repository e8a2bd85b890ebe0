import { describe, expect, it } from "vitest";
import { FakeClock } from "../domain/clock.js";
import { SYSTEM } from "../domain/principal.js";
import { composeMail } from "../test-support/inbound-mail.js";
import { openTestStore } from "../test-support/test-store.js";
import { createLevel } from "./create-level.js";
import { createTeam } from "./create-team.js";
import { ingestEmail } from "./ingest-email.js";
import { reprocessInboundMail } from "./reprocess-inbound-mail.js";

describe("taking in mail before the organisation exists", async () => {
  const store = await openTestStore();
  const clock = new FakeClock("2026-03-02T09:00:00Z");
  const sys = { db: store.db, clock, actor: SYSTEM };

  it("quarantines a mail that cannot be filed yet, and files it on reprocessing once it can", async () => {
    const raw = await composeMail({ from: "early@example.test", to: "support@tierline.test", subject: "First!", text: "Anyone there?", messageId: "<early@example.test>" });
    const input = { raw, mailbox: null, source: { kind: "smtp" as const, envelopeFrom: "early@example.test" }, maxAttachmentBytes: 1_000_000 };
    const held = await ingestEmail(sys, input);
    expect(held).toMatchObject({ status: "quarantined", ticketId: null });
    expect(held.reason).toMatch(/^could not be filed: No frontline team exists yet/);
    // Nothing of the failed attempt stayed behind: no customer was added.
    expect(await store.db.query.customers.findMany()).toEqual([]);
    expect(await ingestEmail(sys, input)).toMatchObject({ status: "duplicate", inboundMailId: held.inboundMailId });

    const l1 = await createLevel(sys, { name: "L1", rank: 1 });
    await createTeam(sys, { name: "Frontline", levelId: l1.id, kind: "frontline" });
    await reprocessInboundMail(sys, held.inboundMailId, { maxAttachmentBytes: 1_000_000 });
    const [record] = await store.db.query.inboundMail.findMany();
    expect(record).toMatchObject({ id: held.inboundMailId, status: "ticket", reason: null });
    const ticket = await store.db.query.tickets.findFirst();
    expect(ticket).toMatchObject({ id: record!.ticketId, subject: "First!", channel: "email" });
  });
});
