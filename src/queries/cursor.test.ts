import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attachments, deliveries, inboundMail } from "../db/schema.js";
import { AppError } from "../domain/errors.js";
import { startHarness } from "../test-support/harness.js";
import { ticketApi } from "../test-support/ticket-api.js";
import { decodeCursor, encodeCursor } from "./cursor.js";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** Times a forger might put in a cursor: beyond PostgreSQL's range, beyond Date's, year 0, not quite ISO. */
const BAD_TIMES = [
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z",
  "0000-01-01T00:00:00.000Z",
  "1000-01-01T00:00:00.000Z",
  "2026-02-30T00:00:00.000Z",
  "2026-03-02T09:00:00+99:00",
  "2026-03-02",
  "294277-01-01",
  "now",
  "",
];
const BAD_IDS = ["", "42", "not-a-uuid", "00000000-0000-4000-8000-00000000000g", "\u0000", "' or 1=1 --"];
const UUID = "00000000-0000-4000-8000-000000000000";

describe("the cursor codec", () => {
  it("round-trips every key it encodes, times as Dates", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59.999Z"), noInvalidDate: true }),
        fc.uuid(),
        fc.string(),
        fc.maxSafeInteger(),
        (time, id, text, n) => {
          expect(decodeCursor(encodeCursor([time, id]), "tu")).toEqual([time, id]);
          if (!text.includes("\u0000")) expect(decodeCursor(encodeCursor([text, id]), "su")).toEqual([text, id]);
          expect(decodeCursor(encodeCursor([n]), "n")).toEqual([n]);
        },
      ),
    );
  });

  it("refuses anything else as validation_failed on querystring.cursor, never another error", () => {
    const forged = fc.oneof(
      fc.string(),
      fc.base64String(),
      fc.json().map((j) => Buffer.from(j).toString("base64url")),
      fc.tuple(fc.constantFrom(...BAD_TIMES), fc.oneof(fc.uuid(), fc.constantFrom(...BAD_IDS))).map(b64),
      fc.tuple(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom(...BAD_IDS)).map(b64),
      fc.array(fc.anything(), { maxLength: 3 }).map(b64),
    );
    for (const shape of ["tu", "su", "is", "n", "i", "s"]) {
      fc.assert(
        fc.property(forged, (cursor) => {
          try {
            const key = decodeCursor(cursor, shape);
            // What passes is a key of the right shape whose times lie in the sane range.
            expect(key).toHaveLength(shape.length);
            key!.forEach((v, i) => {
              if (shape[i] === "t") expect((v as Date).getUTCFullYear()).toBeGreaterThanOrEqual(1900);
            });
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
            expect((err as AppError).code).toBe("validation_failed");
            expect((err as AppError).fields).toEqual([{ path: "querystring.cursor", message: "is not a valid cursor" }]);
          }
        }),
        { numRuns: 300 },
      );
    }
    for (const time of BAD_TIMES) expect(() => decodeCursor(b64([time, UUID]), "tu")).toThrow(AppError);
  });
});

describe("every list pages through one cursor codec", async () => {
  const h = await startHarness();
  const t = ticketApi(h);
  const { as } = t;
  const ticket = await t.openTicket({ tags: ["paging"] });
  await t.openTicket();
  await t.openTicket();
  for (const body of ["First reply", "Second reply", "A note"]) {
    const res = await t.send(as.alice, "POST", `/tickets/${ticket.id}/messages`, { body, kind: body === "A note" ? "internal" : "public" });
    expect(res.status, res.text).toBe(201);
  }
  await t.escalate(ticket.id, { kind: "functional", toTeamId: h.org.teams.billing.id });
  // Rows written in one statement share one microsecond-precise now(): the case that paged forever or failed.
  await h.store.db.insert(attachments).values(
    ["a.txt", "b.txt", "c.txt"].map((filename) => ({ ticketId: ticket.id, filename, contentType: "text/plain", size: 1, sha256: "0".repeat(64), content: Buffer.from("x") })),
  );
  await h.store.db.insert(inboundMail).values(["<1@x>", "<2@x>", "<3@x>"].map((messageId) => ({ source: "smtp" as const, messageId, status: "quarantined" as const, reason: "test" })));
  await h.store.db.insert(deliveries).values(
    [1, 2, 3].map((n) => ({ channel: "webhook" as const, topic: "ticket.created", destination: "https://hooks.test/", ticketId: ticket.id, idempotencyKey: `cursor-test-${n}`, payload: {}, nextAttemptAt: new Date() })),
  );

  const lists = [
    "/tickets",
    `/tickets/${ticket.id}/messages`,
    `/tickets/${ticket.id}/escalations`,
    `/tickets/${ticket.id}/events`,
    `/tickets/${ticket.id}/attachments`,
    `/tickets/${ticket.id}/resolutions`,
    `/tickets/${ticket.id}/escalation-requests`,
    `/tickets/${ticket.id}/deliveries`,
    "/deliveries",
    "/inbound-mail",
    "/approvals",
    "/escalation-requests",
    "/levels",
    "/teams",
    "/agents",
    "/accounts",
    "/customers",
    "/calendars",
    "/sla-policies",
    "/escalation-rules",
    "/mailboxes",
    "/webhooks",
    "/email-templates",
  ];
  const BY_NAME = new Set(["/teams", "/agents", "/accounts", "/customers", "/calendars", "/mailboxes", "/webhooks"]);
  const get = (path: string) => t.send(as.admin, "GET", path);
  const withCursor = (path: string, cursor: string, limit = 1) => `${path}${path.includes("?") ? "&" : "?"}limit=${limit}&cursor=${encodeURIComponent(cursor)}`;

  it.each(lists)("%s: paging one by one gives exactly the whole list, in order", async (path) => {
    const whole = await get(`${path}?limit=200`);
    expect(whole.status, whole.text).toBe(200);
    expect(whole.body.nextCursor).toBeNull();
    const seen: unknown[] = [];
    let res = await get(`${path}?limit=1`);
    for (let pages = 0; ; pages++) {
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.data);
      if (res.body.nextCursor === null || pages > whole.body.data.length) break;
      res = await get(withCursor(path, res.body.nextCursor));
    }
    expect(seen).toEqual(whole.body.data);
  });

  it("pages lists that hold several rows (the data above is really there)", async () => {
    for (const path of [`/tickets/${ticket.id}/attachments`, `/tickets/${ticket.id}/messages`, "/inbound-mail", "/deliveries", "/tickets", "/agents"]) {
      expect((await get(`${path}?limit=200`)).body.data.length, path).toBeGreaterThanOrEqual(3);
    }
  });

  it.each(lists)("%s: a forged cursor is 400 validation_failed, never a 500", async (path) => {
    const forged = fc.oneof(
      fc.string({ maxLength: 150 }),
      fc.tuple(fc.constantFrom(...BAD_TIMES), fc.oneof(fc.uuid(), fc.constantFrom(...BAD_IDS))).map(b64),
      fc.tuple(fc.oneof(fc.constantFrom(...BAD_TIMES), fc.string({ maxLength: 20 }), fc.double()), fc.constantFrom(...BAD_IDS)).map(b64),
      fc.constantFrom(b64([2 ** 53]), b64([2 ** 31]), b64([-(2 ** 31) - 1]), b64([1.5]), b64(["1"]), b64([null]), b64({}), b64([]), b64([1, 2, 3])),
    );
    await fc.assert(
      fc.asyncProperty(forged, async (cursor) => {
        const res = await get(withCursor(path, cursor, 5));
        expect(res.status, `${cursor}: ${res.text}`).toBeLessThan(500);
        if (res.status !== 200) {
          expect(res.status, res.text).toBe(400);
          expect(res.body.code).toBe("validation_failed");
          expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["querystring.cursor"]);
        }
      }),
      { numRuns: 40 },
    );
    // Each out-of-range time, in each cursor shape a list uses, is refused outright (lists by name take
    // any text as a name, so a time-like string is a fine place to start there).
    if (BY_NAME.has(path)) return;
    for (const time of BAD_TIMES) {
      for (const cursor of [b64([time, UUID]), b64([time])]) {
        const res = await get(withCursor(path, cursor));
        expect(res.status, `${time}: ${res.text}`).toBe(400);
        expect(res.body.code).toBe("validation_failed");
      }
    }
  });
});
