import { QueryClient } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BOARD_COALESCE_MS, LiveStream } from "../../live/stream";

/** A stand-in for the browser's EventSource: the test plays the server's events into it. */
class FakeEventSource {
  static last: FakeEventSource | undefined;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private readonly listeners = new Map<string, ((msg: MessageEvent<string>) => void)[]>();
  constructor() {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (msg: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {}
  emit(type: string, data: object) {
    for (const l of this.listeners.get(type) ?? []) l(new MessageEvent(type, { data: JSON.stringify(data) }));
  }
}

describe("the board's refetches under a burst of live events", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal("EventSource", FakeEventSource);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("refetches at once on the first event, then at most once per window however many follow", () => {
    const qc = new QueryClient();
    const invalidate = vi.spyOn(qc, "invalidateQueries");
    const boardCalls = () => invalidate.mock.calls.filter(([f]) => JSON.stringify(f?.queryKey) === '["board"]').length;
    const stream = new LiveStream(qc);
    stream.start();
    const source = FakeEventSource.last!;

    source.emit("sla.breached", { id: "1", ticketId: "t1", ticketNumber: 1 });
    expect(boardCalls()).toBe(1); // a breach shows without waiting
    for (let i = 2; i <= 40; i++) {
      vi.advanceTimersByTime(5);
      source.emit("sla.breached", { id: String(i), ticketId: `t${i}`, ticketNumber: i });
    }
    expect(boardCalls()).toBe(1);
    vi.advanceTimersByTime(BOARD_COALESCE_MS);
    expect(boardCalls()).toBe(2); // the burst's last state, once
    vi.advanceTimersByTime(10 * BOARD_COALESCE_MS);
    expect(boardCalls()).toBe(2); // nothing more without events

    source.emit("escalation.created", { id: "99", ticketId: "t99", ticketNumber: 99 });
    expect(boardCalls()).toBe(3);
    stream.stop();
  });
});
