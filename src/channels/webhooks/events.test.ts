import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MESSAGE_KINDS } from "../../domain/vocabulary.js";
import { isSubscribed, WEBHOOK_EVENTS } from "./events.js";

const SRC = fileURLToPath(new URL("../..", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "test-support" ? [] : sourceFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Every topic the code writes to the outbox: `enqueue(tx, at, "topic", …)` calls and SQL inserts into outbox. */
function enqueuedTopics(): Set<string> {
  const topics = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\benqueue\(\s*[^,]+,\s*[^,]+,\s*(["'`])([^"'`]+)\1/g)) {
      const topic = m[2]!;
      // `message.${kind}`: every kind but internal notes, which are never enqueued.
      if (topic === "message.${kind}") for (const k of MESSAGE_KINDS.filter((k) => k !== "internal")) topics.add(`message.${k}`);
      else topics.add(topic);
    }
    for (const m of text.matchAll(/insert into outbox[^;]*?select\s+'([a-z_.]+)'/gi)) topics.add(m[1]!);
  }
  return topics;
}

describe("webhook events", () => {
  it("are exactly the topics the code enqueues", () => {
    const topics = enqueuedTopics();
    expect(topics.has("ticket.created")).toBe(true); // the intake statement writes it in SQL
    expect([...topics].sort()).toEqual([...WEBHOOK_EVENTS].sort());
  });

  it("match a filter by topic or by group, and everything when the filter is empty", () => {
    expect(isSubscribed([], "sla.breached")).toBe(true);
    expect(isSubscribed(["sla.breached"], "sla.breached")).toBe(true);
    expect(isSubscribed(["sla.*"], "sla.warning")).toBe(true);
    expect(isSubscribed(["sla.*"], "escalation.created")).toBe(false);
    expect(isSubscribed(["escalation.*"], "escalation_request.created")).toBe(false);
    expect(isSubscribed(["ticket.created"], "ticket.updated")).toBe(false);
  });
});
