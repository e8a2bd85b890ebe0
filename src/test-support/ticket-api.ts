import { expect } from "vitest";
import type { ApiResponse, Harness } from "./harness.js";
import { TEST_PASSWORD } from "./factories.js";

/** Who sends a request: an agent's API token or a signed-in session cookie. */
export type Caller = { token: string } | { cookie: string };
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
// The API's JSON shapes, as a test reads them.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A handover note long enough to pass validation. */
export const HANDOVER = "Customer was charged twice for November; a refund is needed.";

let customerCounter = 0;
/** A customer e-mail address no other test uses, so lists can be narrowed to one test's tickets. */
export function uniqueCustomer(): { email: string; name: string } {
  customerCounter += 1;
  return { email: `customer-${customerCounter}-${Date.now()}@customer.test`, name: `Customer ${customerCounter}` };
}

/**
 * Helpers that drive the ticket API as the organisation's people: `as.alice`, `as.bob`, … are callers;
 * `send` sends one request under `/api/v1`; the rest open, escalate and read tickets, asserting success.
 */
export function ticketApi(h: Harness) {
  const a = h.org.agents;
  const as = {
    admin: { token: a.admin.token },
    alice: { token: a.alice.token },
    lena: { token: a.lena.token },
    bob: { token: a.bob.token },
    tina: { token: a.tina.token },
    mark: { token: a.mark.token },
  } satisfies Record<string, Caller>;

  function send(who: Caller | undefined, method: Method, path: string, body?: unknown): Promise<ApiResponse> {
    return h.api(method, `/api/v1${path}`, { ...who, ...(body !== undefined ? { body } : {}) });
  }

  /** Opens a ticket (as Alice unless told otherwise) and returns it. */
  async function openTicket(overrides: Record<string, unknown> = {}, who: Caller = as.alice): Promise<Json> {
    const res = await send(who, "POST", "/tickets", {
      subject: "Invoice charged twice",
      description: "I was charged twice for my November invoice.",
      channel: "email",
      // Staff name the customer (Dave unless told otherwise); a signed-in customer opens tickets for themselves.
      ...("token" in who && !("customer" in overrides) && !("customerId" in overrides)
        ? { customer: { email: "dave@customer.test", name: "Dave" } }
        : {}),
      ...overrides,
    });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }

  /** Escalates a ticket and returns the escalation, asserting 201. */
  async function escalate(ticketId: string, body: Record<string, unknown>, who: Caller = as.alice): Promise<Json> {
    const res = await send(who, "POST", `/tickets/${ticketId}/escalations`, { reason: "needs_expertise", note: HANDOVER, ...body });
    expect(res.status, res.text).toBe(201);
    return res.body;
  }

  /** Changes a ticket and returns it, asserting 200. */
  async function patch(ticketId: string, body: Record<string, unknown>, who: Caller = as.admin): Promise<Json> {
    const res = await send(who, "PATCH", `/tickets/${ticketId}`, body);
    expect(res.status, res.text).toBe(200);
    return res.body;
  }

  /** The ticket as the admin sees it. */
  async function ticket(ticketId: string): Promise<Json> {
    const res = await send(as.admin, "GET", `/tickets/${ticketId}`);
    expect(res.status, res.text).toBe(200);
    return res.body;
  }

  /** Every item of a list, following `nextCursor` page by page. */
  async function all(who: Caller, path: string, limit = 200): Promise<Json[]> {
    const items: Json[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const res = await send(who, "GET", `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status, res.text).toBe(200);
      items.push(...res.body.data);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  /** A ticket's whole timeline as `who` sees it. */
  const timeline = (ticketId: string, who: Caller = as.admin) => all(who, `/tickets/${ticketId}/events`);
  /** A ticket's escalations, oldest first. */
  const escalations = (ticketId: string, who: Caller = as.admin) => all(who, `/tickets/${ticketId}/escalations`);

  /** Signs in through the API and returns the session cookie as a caller. */
  async function signIn(email: string, password = TEST_PASSWORD): Promise<Caller> {
    const res = await send(undefined, "POST", "/auth/login", { email, password });
    expect(res.status, res.text).toBe(200);
    const header = res.headers["set-cookie"];
    const first = (Array.isArray(header) ? header : [header]).map(String).find((c) => c.startsWith("tierline_session="));
    expect(first, "a session cookie").toBeDefined();
    return { cookie: first!.split(";")[0]! };
  }

  return { as, send, openTicket, escalate, patch, ticket, all, timeline, escalations, signIn };
}
