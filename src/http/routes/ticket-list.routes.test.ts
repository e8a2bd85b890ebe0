import { describe, expect, it } from "vitest";
import { expectInvalid, expectProblem } from "../../test-support/problem-assertions.js";
import { startHarness } from "../../test-support/harness.js";
import { insertPolicy } from "../../test-support/sla-factories.js";
import { ticketApi } from "../../test-support/ticket-api.js";

const MINUTE = 60_000;
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000";

// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const numbers = (items: Json[]) => items.map((t) => t.number);
let mark = 0;
/** A tag no other test uses, to narrow the shared database's lists to one test's tickets. */
const uniqueTag = () => `t${++mark}-${Math.random().toString(36).slice(2, 8)}`;

describe("listing tickets: views, filters, search, sorts", async () => {
  const h = await startHarness();
  const { agents, teams } = h.org;
  const { as, send, openTicket, escalate, patch, all, signIn, timeline } = ticketApi(h);
  const carol = await signIn("carol@customer.test");

  /** Opens a ticket carrying `tag`, a minute after the last one. */
  const open = async (tag: string, fields: Record<string, unknown> = {}) => {
    h.clock.advance(MINUTE);
    return openTicket({ tags: [tag], ...fields });
  };

  describe("filters", () => {
    it("filters by category, channel, every tag given, and created/updated ranges", async () => {
      const tag = uniqueTag();
      const a = await open(tag, { category: "billing", channel: "email", tags: [tag, "vip"] });
      const b = await open(tag, { category: "billing", channel: "phone" });
      const c = await open(tag, { category: "access", channel: "email", tags: [tag, "vip"] });
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&category=billing`))).toEqual([b.number, a.number]);
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&channel=email`))).toEqual([c.number, a.number]);
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&tag=vip`))).toEqual([c.number, a.number]);
      expect(await all(as.admin, `/tickets?tag=${tag}&tag=nobody-has-this`)).toEqual([]);
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&createdFrom=${encodeURIComponent(b.createdAt)}`))).toEqual([c.number, b.number]);
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&createdTo=${encodeURIComponent(b.createdAt)}`))).toEqual([b.number, a.number]);
      h.clock.advance(MINUTE);
      const touched = await patch(a.id, { priority: "high" });
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&updatedFrom=${encodeURIComponent(touched.updatedAt)}`))).toEqual([a.number]);
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&updatedTo=${encodeURIComponent(c.updatedAt)}`))).toEqual([c.number, b.number]);
    });

    it("finds tickets by words of the subject, the description and the messages; customers never search internal notes", async () => {
      const tag = uniqueTag();
      const word = `zebra${Math.random().toString(36).slice(2, 8)}`;
      const inSubject = await open(tag, { subject: `The ${word} export fails` });
      const inDescription = await open(tag, { description: `Since Monday the ${word} page is blank.` });
      const inReply = await open(tag);
      const inNote = await open(tag, { customerId: h.org.customers.carol.id });
      expect((await send(as.alice, "POST", `/tickets/${inReply.id}/messages`, { body: `Please clear the ${word} cache.`, kind: "public" })).status).toBe(201);
      expect((await send(as.alice, "POST", `/tickets/${inNote.id}/messages`, { body: `Internal: ${word} is a known bug.`, kind: "internal" })).status).toBe(201);
      await open(tag, { subject: "Unrelated" });

      expect(numbers(await all(as.admin, `/tickets?q=${word}`))).toEqual([inNote.number, inReply.number, inDescription.number, inSubject.number]);
      // Web-search syntax: a quoted phrase, and words that must all match.
      expect(numbers(await all(as.admin, `/tickets?q=${encodeURIComponent(`"${word} export"`)}`))).toEqual([inSubject.number]);
      expect(numbers(await all(as.admin, `/tickets?q=${encodeURIComponent(`${word} blank`)}`))).toEqual([inDescription.number]);
      // Carol's own ticket matches only through an internal note, which she does not see.
      expect(await all(carol, `/tickets?q=${word}`)).toEqual([]);
      expectInvalid(await send(as.admin, "GET", "/tickets?q="), ["querystring.q"]);
    });

    it("shows each ticket with its customer, team and assignee names and its next SLA due", async () => {
      const tag = uniqueTag();
      const category = `sla-${tag}`;
      await insertPolicy(h.store, { conditions: { categories: [category] }, targets: { first_response: { normal: "PT1H" }, resolution: { normal: "PT8H" } } });
      const t = await open(tag, { category });
      await patch(t.id, { assigneeId: agents.alice.id });
      const [row] = await all(as.lena, `/tickets?tag=${tag}`);
      expect(row).toMatchObject({ number: t.number, customerName: "Dave", teamName: "Frontline", assigneeName: "Alice" });
      expect(Date.parse(row.nextDueAt) - Date.parse(t.createdAt)).toBe(60 * MINUTE);
    });

    it("finds overdue tickets: a live clock past its due, or breached, on an unfinished ticket", async () => {
      const tag = uniqueTag();
      const category = `overdue-${tag}`;
      await insertPolicy(h.store, { conditions: { categories: [category] }, targets: { resolution: { normal: "PT2H", urgent: "PT30M" } } });
      const slow = await open(tag, { category });
      const fast = await open(tag, { category, priority: "urgent" });
      const noClock = await open(tag);
      h.clock.advance(45 * MINUTE);
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&overdue=true`))).toEqual([fast.number]);
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&overdue=false`))).toEqual([noClock.number, slow.number]);
      await patch(fast.id, { status: "resolved" });
      expect(await all(as.admin, `/tickets?tag=${tag}&overdue=true`)).toEqual([]);
      expectInvalid(await send(as.admin, "GET", "/tickets?overdue=yes"), ["querystring.overdue"]);
    });
  });

  describe("views", () => {
    it("mine, team and waiting slice the caller's work; finished tickets leave mine unless a status is asked", async () => {
      const tag = uniqueTag();
      const mine = await open(tag);
      await patch(mine.id, { assigneeId: agents.alice.id });
      const queue = await open(tag);
      const waiting = await open(tag);
      await patch(waiting.id, { status: "pending" });
      const done = await open(tag);
      await patch(done.id, { assigneeId: agents.alice.id, status: "resolved" });

      expect(numbers(await all(as.alice, `/tickets?view=mine&tag=${tag}`))).toEqual([mine.number]);
      expect(numbers(await all(as.alice, `/tickets?view=mine&tag=${tag}&status=resolved`))).toEqual([done.number]);
      expect(numbers(await all(as.alice, `/tickets?view=team&tag=${tag}`))).toEqual([waiting.number, queue.number, mine.number]);
      expect(numbers(await all(as.alice, `/tickets?view=waiting&tag=${tag}`))).toEqual([waiting.number]);
      expect(numbers(await all(as.alice, `/tickets?view=all&tag=${tag}`))).toEqual([done.number, waiting.number, queue.number, mine.number]);
      // Bob (billing) sees none of the frontline's tickets, in any view.
      expect(await all(as.bob, `/tickets?view=all&tag=${tag}`)).toEqual([]);
      expect(await all(as.bob, `/tickets?view=team&tag=${tag}`)).toEqual([]);
    });

    it("escalated lists active escalations to my team or me, unacknowledged first", async () => {
      const tag = uniqueTag();
      const first = await open(tag);
      const second = await open(tag);
      const third = await open(tag);
      const toTina = await open(tag);
      await escalate(first.id, { kind: "functional", toTeamId: teams.billing.id });
      await escalate(second.id, { kind: "functional", toTeamId: teams.billing.id });
      await escalate(third.id, { kind: "functional", toTeamId: teams.billing.id });
      await escalate(toTina.id, { kind: "functional", toTeamId: teams.technical.id });
      const [esc] = (await send(as.bob, "GET", `/tickets/${third.id}/escalations`)).body.data;
      expect((await send(as.bob, "POST", `/escalations/${esc.id}/acknowledge`)).status).toBe(200);

      const listed = await all(as.bob, `/tickets?view=escalated&tag=${tag}`);
      expect(numbers(listed)).toEqual([second.number, first.number, third.number]);
      // Paging keeps that order.
      expect(numbers(await all(as.bob, `/tickets?view=escalated&tag=${tag}`, 1))).toEqual(numbers(listed));
      expect(numbers(await all(as.tina, `/tickets?view=escalated&tag=${tag}`))).toEqual([toTina.number]);
    });

    it("at-risk lists unfinished tickets with a running clock, nearest due first", async () => {
      const tag = uniqueTag();
      const category = `risk-${tag}`;
      await insertPolicy(h.store, { conditions: { categories: [category] }, targets: { resolution: { low: "PT8H", normal: "PT4H", high: "PT1H" } } });
      const later = await open(tag, { category, priority: "low" });
      const soon = await open(tag, { category, priority: "high" });
      const middle = await open(tag, { category });
      await open(tag); // no policy, no clock
      const paused = await open(tag, { category, priority: "high" });
      await patch(paused.id, { status: "pending" });
      expect(numbers(await all(as.alice, `/tickets?view=at-risk&tag=${tag}`))).toEqual([soon.number, middle.number, later.number]);
      expect(numbers(await all(as.alice, `/tickets?view=at-risk&tag=${tag}`, 1))).toEqual([soon.number, middle.number, later.number]);
      expect(numbers(await all(as.alice, `/tickets?view=at-risk&tag=${tag}&dir=desc`))).toEqual([later.number, middle.number, soon.number]);
    });

    it("counts every view for the caller in one request", async () => {
      const before = (await send(as.tina, "GET", "/tickets/views")).body.counts;
      const tag = uniqueTag();
      const t = await open(tag);
      await escalate(t.id, { kind: "functional", toTeamId: teams.technical.id });
      await patch(t.id, { assigneeId: agents.tina.id }, as.tina);
      const res = await send(as.tina, "GET", "/tickets/views");
      expect(res.status, res.text).toBe(200);
      expect(res.body.counts).toEqual({ ...before, mine: before.mine + 1, team: before.team + 1, escalated: before.escalated + 1, all: before.all + 1 });
      for (const view of ["mine", "team", "escalated", "at-risk", "waiting", "all"]) {
        expect((await all(as.tina, `/tickets?view=${view}`)).length).toBe(res.body.counts[view]);
      }
      expectProblem(await send(carol, "GET", "/tickets/views"), 403, "forbidden");
      expectProblem(await send(undefined, "GET", "/tickets/views"), 401, "unauthenticated");
    });

    it("a customer lists only their own tickets and cannot use staff views or filter by what they do not see", async () => {
      const tag = uniqueTag();
      const own = await open(tag, { customerId: h.org.customers.carol.id });
      const res = await send(carol, "GET", `/tickets?view=all&q=${encodeURIComponent(own.subject)}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.every((t: Json) => t.team && !("tags" in t) && !("assigneeName" in t))).toBe(true);
      expect(numbers(res.body.data)).toContain(own.number);
      for (const query of ["view=mine", "view=escalated", "view=at-risk", `tag=${tag}`, `assigneeId=${agents.alice.id}`, "overdue=true", "sort=due"]) {
        expectProblem(await send(carol, "GET", `/tickets?${query}`), 403, "forbidden");
      }
    });
  });

  describe("sorts and keyset pages", () => {
    it("pages through every sort in both directions without a gap or a repeat", async () => {
      const tag = uniqueTag();
      const category = `sort-${tag}`;
      await insertPolicy(h.store, { conditions: { categories: [category] }, targets: { resolution: { low: "PT9H", normal: "PT5H", high: "PT3H", urgent: "PT1H" } } });
      const made: Json[] = [];
      for (const priority of ["normal", "urgent", "low", "normal", "high", "urgent", "low"]) made.push(await open(tag, { priority, category: made.length % 3 === 0 ? undefined : category }));
      // Updated in an order unlike the creation order.
      for (const i of [4, 0, 6, 2]) {
        h.clock.advance(MINUTE);
        await patch(made[i].id, { subject: `touched ${i}` });
      }
      for (const sort of ["created", "updated", "priority", "due"]) {
        for (const dir of ["asc", "desc"]) {
          const whole = await all(as.admin, `/tickets?tag=${tag}&sort=${sort}&dir=${dir}`);
          const paged = await all(as.admin, `/tickets?tag=${tag}&sort=${sort}&dir=${dir}`, 2);
          expect(numbers(paged), `${sort} ${dir}`).toEqual(numbers(whole));
          expect(new Set(numbers(whole)).size).toBe(made.length);
        }
      }
      const rank = { urgent: 4, high: 3, normal: 2, low: 1 } as Record<string, number>;
      const byPriority = await all(as.admin, `/tickets?tag=${tag}&sort=priority`, 3);
      expect(byPriority.map((t) => rank[t.priority])).toEqual([4, 4, 3, 2, 2, 1, 1]);
      const byUpdated = await all(as.admin, `/tickets?tag=${tag}&sort=updated`, 3);
      expect(numbers(byUpdated).slice(0, 4)).toEqual([2, 6, 0, 4].map((i) => made[i].number));
      const byDue = await all(as.admin, `/tickets?tag=${tag}&sort=due`, 2);
      const dues = byDue.map((t) => t.nextDueAt);
      const withDue = dues.filter((d) => d !== null);
      expect(withDue).toEqual([...withDue].sort());
      expect(dues.slice(withDue.length)).toEqual([null, null, null]);
    });

    it("refuses a forged cursor and one replayed with another view, sort or direction (400)", async () => {
      const tag = uniqueTag();
      for (let i = 0; i < 3; i++) await open(tag);
      const first = await send(as.admin, "GET", `/tickets?tag=${tag}&sort=updated&limit=1`);
      const cursor = encodeURIComponent(first.body.nextCursor);
      expect((await send(as.admin, "GET", `/tickets?tag=${tag}&sort=updated&limit=1&cursor=${cursor}`)).status).toBe(200);
      for (const other of ["sort=created", "sort=priority", "sort=updated&dir=asc", "sort=updated&view=team"]) {
        expectInvalid(await send(as.admin, "GET", `/tickets?tag=${tag}&${other}&limit=1&cursor=${cursor}`), ["querystring.cursor"]);
      }
      const forged = Buffer.from(JSON.stringify(["all:updated:desc", "x", 1])).toString("base64url");
      expectInvalid(await send(as.admin, "GET", `/tickets?sort=updated&cursor=${forged}`), ["querystring.cursor"]);
      expectInvalid(await send(as.admin, "GET", "/tickets?cursor=not-a-cursor"), ["querystring.cursor"]);
      expectInvalid(await send(as.admin, "GET", "/tickets?sort=oldest&dir=up&view=everything"), ["querystring.sort", "querystring.dir", "querystring.view"]);
      expectInvalid(await send(as.admin, "GET", "/tickets?colour=red"), ["querystring.colour"]);
    });
  });

  describe("POST /tickets/bulk", () => {
    it("changes status, priority and assignee and adds tags on every ticket, with the events a PATCH writes", async () => {
      const tag = uniqueTag();
      const a = await open(tag, { tags: [tag, "keep"] });
      const b = await open(tag);
      h.clock.advance(MINUTE);
      const res = await send(as.lena, "POST", "/tickets/bulk", {
        ticketIds: [b.id, a.id],
        change: { status: "open", priority: "high", assigneeId: agents.alice.id, addTags: ["billing", "keep"] },
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.map((t: Json) => t.id)).toEqual([b.id, a.id]);
      for (const t of res.body.data) expect(t).toMatchObject({ status: "open", priority: "high", assigneeId: agents.alice.id });
      expect(res.body.data[1].tags).toEqual([tag, "keep", "billing"]);
      expect(res.body.data[0].tags).toEqual([tag, "billing", "keep"]);
      const events = await timeline(a.id);
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["ticket.status_changed", "ticket.updated"]));
      expect(events.find((e) => e.type === "ticket.updated").data.changes).toMatchObject({ priority: { from: "normal", to: "high" } });
    });

    it("is all or nothing: a ticket the caller may not change refuses the batch, naming it", async () => {
      const tag = uniqueTag();
      const frontline = await open(tag);
      const billing = await open(tag);
      await escalate(billing.id, { kind: "functional", toTeamId: teams.billing.id });
      // Bob works the billing ticket but only reads nothing of the frontline one: it is not found for him.
      const hidden = await send(as.bob, "POST", "/tickets/bulk", { ticketIds: [billing.id, frontline.id], change: { priority: "urgent" } });
      expectProblem(hidden, 404, "ticket_not_found");
      expect(hidden.body.detail).toContain(frontline.id);
      // Alice handed the billing ticket over: she still reads it but may not change it.
      const refused = await send(as.alice, "POST", "/tickets/bulk", { ticketIds: [frontline.id, billing.id], change: { priority: "urgent" } });
      expectProblem(refused, 403, "forbidden");
      expect(refused.body.detail).toContain(`#${billing.number}`);
      const closed = await open(tag);
      await patch(closed.id, { status: "closed" });
      const final = await send(as.admin, "POST", "/tickets/bulk", { ticketIds: [frontline.id, closed.id], change: { status: "pending" } });
      expectProblem(final, 409, "ticket_closed");
      expect(final.body.detail).toContain(`#${closed.number}`);
      const wrongTeam = await send(as.admin, "POST", "/tickets/bulk", { ticketIds: [frontline.id, billing.id], change: { assigneeId: agents.alice.id } });
      expectProblem(wrongTeam, 422, "assignee_not_in_team");
      // Nothing was written by any refused batch.
      for (const t of [frontline, billing]) {
        const now = (await send(as.admin, "GET", `/tickets/${t.id}`)).body;
        expect(now.priority).toBe("normal");
        expect(now.assigneeId).toBeNull();
        expect((await timeline(t.id)).filter((e) => e.type === "ticket.updated")).toEqual([]);
      }
      expect(numbers(await all(as.admin, `/tickets?tag=${tag}&status=pending`))).toEqual([]);
    });

    it("refuses bad input with the failing fields", async () => {
      const t = await open(uniqueTag());
      expectInvalid(await send(as.admin, "POST", "/tickets/bulk", { ticketIds: [], change: { status: "open" } }), ["body.ticketIds"]);
      expectInvalid(await send(as.admin, "POST", "/tickets/bulk", { ticketIds: [t.id, t.id], change: { status: "open" } }), ["body.ticketIds"]);
      const many = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
      expectInvalid(await send(as.admin, "POST", "/tickets/bulk", { ticketIds: many, change: { status: "open" } }), ["body.ticketIds"]);
      expectInvalid(await send(as.admin, "POST", "/tickets/bulk", { ticketIds: [t.id], change: {} }), ["body.change"]);
      expectInvalid(await send(as.admin, "POST", "/tickets/bulk", { ticketIds: [t.id], change: { subject: "x" } }), ["body.change"]);
      expectInvalid(await send(as.admin, "POST", "/tickets/bulk", { ticketIds: [t.id], change: { status: "done" } }), ["body.change.status"]);
      const tooMany = Array.from({ length: 30 }, (_, i) => `tag-${i}`);
      expectInvalid(await send(as.admin, "POST", "/tickets/bulk", { ticketIds: [t.id], change: { addTags: tooMany } }), ["body.change.addTags"]);
      expectProblem(await send(as.admin, "POST", "/tickets/bulk", { ticketIds: [UNKNOWN_ID], change: { status: "open" } }), 404, "ticket_not_found");
      expectProblem(await send(carol, "POST", "/tickets/bulk", { ticketIds: [t.id], change: { status: "closed" } }), 404, "ticket_not_found");
      expect((await send(as.admin, "GET", `/tickets/${t.id}`)).body.tags).toHaveLength(1);
    });
  });
});
