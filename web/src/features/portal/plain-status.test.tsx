import { describe, expect, it } from "vitest";
import dayjs from "dayjs";
import type { CustomerTicket, TicketEvent } from "../../api/types";
import type { EscalationRequest } from "../../api/portal";
import { ApiProblem } from "../../api/problem";
import { escalationRefusal, holderLine, nextUpdateLine, plainStatus, plainStatusLabel, plainTimeline, requestAnswer, shortTime } from "./plain-status";

const NOW = new Date("2026-03-02T15:00:00");
const at = (hhmm: string, day = "2026-03-02") => new Date(`${day}T${hhmm}:00`).toISOString();

function ticket(over: Partial<CustomerTicket> = {}): CustomerTicket {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    number: 42,
    subject: "Charged twice",
    description: "My card was charged twice.",
    descriptionHtml: null,
    channel: "web",
    category: null,
    priority: "normal",
    status: "open",
    team: { name: "Frontline" },
    level: { name: "L1" },
    customerId: "00000000-0000-4000-8000-000000000002",
    reopenCount: 0,
    createdAt: at("09:15"),
    updatedAt: at("09:15"),
    resolvedAt: null,
    closedAt: null,
    ...over,
  };
}

let nextId = 1;
function event(type: string, data: Record<string, unknown>, createdAt: string): TicketEvent {
  return { id: nextId++, ticketId: ticket().id, type, visibility: "public", actorType: "system", actorId: null, data, createdAt };
}

describe("plain-language status", () => {
  it("says working, waiting or solved for every ticket status", () => {
    expect(["new", "open", "on_hold"].map((s) => plainStatus(s as CustomerTicket["status"]))).toEqual(["working", "working", "working"]);
    expect(plainStatus("pending")).toBe("waiting");
    expect(plainStatus("resolved")).toBe("solved");
    expect(plainStatus("closed")).toBe("solved");
    expect(plainStatusLabel("open")).toBe("We're working on it");
    expect(plainStatusLabel("pending")).toBe("Waiting for your reply");
    expect(plainStatusLabel("resolved")).toBe("Solved");
  });

  it("names the team that has the request since it moved there, in the server's words", () => {
    const events = [
      event("ticket.created", {}, at("09:15")),
      event("ticket.escalated", { team: "Billing", level: "L2", text: "Your request is now with our Billing specialists." }, at("10:42")),
    ];
    expect(holderLine(ticket({ team: { name: "Billing" }, level: { name: "L2" } }), events, NOW)).toBe("With our Billing specialists since 10:42");
    // Handed back: the newest move counts.
    const back = [...events, event("ticket.handed_back", { team: "Frontline", level: "L1", text: "Your request is back with our Frontline team." }, at("13:05"))];
    expect(holderLine(ticket(), back, NOW)).toBe("With our Frontline team since 13:05");
    // Never moved: the first team, since the ticket was opened (another day shows the day).
    expect(holderLine(ticket({ createdAt: at("08:00", "2026-02-27") }), [], NOW)).toBe(`With our Frontline team since ${dayjs(at("08:00", "2026-02-27")).format("ddd D MMM, HH:mm")}`);
    expect(holderLine(ticket({ status: "resolved" }), events, NOW)).toBeNull();
  });

  it("says when the next update is due, that it is late, and nothing when we wait for the customer or are done", () => {
    expect(nextUpdateLine(ticket(), { dueAt: at("16:00"), metric: "first_response", overdue: false }, NOW)).toBe("Next update due by 16:00");
    expect(nextUpdateLine(ticket(), { dueAt: at("14:00"), metric: "next_response", overdue: true }, NOW)).toBe("Our update is late: it was due by 14:00");
    expect(nextUpdateLine(ticket(), { dueAt: null, metric: null, overdue: false }, NOW)).toBeNull();
    expect(nextUpdateLine(ticket({ status: "pending" }), { dueAt: at("16:00"), metric: "periodic_update", overdue: false }, NOW)).toBeNull();
    expect(nextUpdateLine(ticket({ status: "closed" }), { dueAt: at("16:00"), metric: "periodic_update", overdue: false }, NOW)).toBeNull();
  });

  it("tells the timeline in plain words and leaves out what means nothing to a customer", () => {
    const entries = plainTimeline([
      event("ticket.created", { after: { team: "Frontline" } }, at("09:15")),
      event("message.public", {}, at("09:30")),
      event("ticket.status_changed", { status: { from: "open", to: "pending" } }, at("09:30")),
      event("message.customer", {}, at("10:00")),
      event("ticket.status_changed", { status: { from: "pending", to: "open" } }, at("10:00")),
      event("escalation_request.created", { requestId: "x" }, at("10:10")),
      event("escalation_request.declined", { requestId: "x", answer: "A specialist already works on it." }, at("10:20")),
      event("ticket.escalated", { team: "Billing", level: "L2", text: "Your request is now with our Billing specialists." }, at("10:42")),
      event("some.future_event", {}, at("11:00")),
      event("resolution.applied", { type: "refund", amount: 49.9, currency: "EUR" }, at("12:00")),
    ]);
    expect(entries.map((e) => e.text)).toEqual([
      "We received your request",
      "We replied",
      "We're waiting for your reply",
      "You wrote to us",
      "We're working on it",
      "You asked for escalation",
      "Your escalation request was declined: A specialist already works on it.",
      "Your request is now with our Billing specialists.",
      "A refund of 49.90 EUR was applied",
    ]);
  });
});

describe("escalation requests in plain words", () => {
  const problem = (code: string, detail: string) => new ApiProblem(code === "escalation_request_limit_reached" ? 429 : 409, { code, detail });

  it("turns the guardrail's refusals into what to do and when", () => {
    const allowed = at("15:30");
    expect(escalationRefusal(problem("escalation_request_too_early", `Ticket #42 can be escalated on request from ${allowed}: 60 minutes after it was opened.`), NOW)).toBe(
      "It's too early to escalate this request. You can ask after 15:30.",
    );
    expect(escalationRefusal(problem("escalation_request_limit_reached", `You have made 3 escalation requests in the last 24 hours; you can ask again from ${at("09:00", "2026-03-03")}.`), NOW)).toBe(
      `You've reached the daily limit of escalation requests. You can ask again after ${dayjs(at("09:00", "2026-03-03")).format("ddd D MMM, HH:mm")}.`,
    );
    expect(escalationRefusal(problem("escalation_request_open", "still waiting"), NOW)).toBe("Your earlier escalation request is still waiting for an answer.");
    expect(escalationRefusal(new Error("boom"), NOW)).toBe("Your escalation request could not be sent. Please try again.");
  });

  it("shows an answer: waiting, accepted, or declined with the agent's reason", () => {
    const request = (over: Partial<EscalationRequest>): EscalationRequest => ({
      id: "r",
      ticketId: "t",
      customerId: "c",
      reason: "Nobody answered for two days.",
      status: "open",
      decidedById: null,
      decidedAt: null,
      answer: null,
      escalationId: null,
      createdAt: at("10:00"),
      ...over,
    });
    expect(requestAnswer(request({}))).toEqual({ tone: "waiting", text: "Waiting for an answer from a team lead." });
    expect(requestAnswer(request({ status: "declined", answer: "A specialist already works on it." }))).toEqual({
      tone: "declined",
      text: "Declined: A specialist already works on it.",
    });
    expect(requestAnswer(request({ status: "accepted" })).text).toBe("Accepted: your request has been escalated.");
  });

  it("writes today's times as HH:mm and other days with the day", () => {
    expect(shortTime(at("08:05"), NOW)).toBe("08:05");
    expect(shortTime(at("08:05", "2026-03-01"), NOW)).toBe("Sun 1 Mar, 08:05");
  });
});
