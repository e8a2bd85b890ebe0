import { request, type IncomingMessage } from "node:http";

/** One Server-Sent Event as received: `id`, `event` (the type; "message" when absent) and the parsed `data`. */
export type ReceivedEvent = { id: string | undefined; event: string; data: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

export type SseConnection = {
  status: number;
  headers: IncomingMessage["headers"];
  /** Every event received so far, in order. */
  received: ReceivedEvent[];
  /** Comment lines received so far (heartbeats). */
  comments: string[];
  /** Resolves with the first received event (past or future) that matches; rejects if the stream ends first. */
  waitFor(match: (e: ReceivedEvent) => boolean): Promise<ReceivedEvent>;
  /** Resolves when a comment line matching arrives (or has arrived). */
  waitForComment(match: (c: string) => boolean): Promise<string>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
};

/**
 * A minimal Server-Sent Events client over a real HTTP connection (node:http), for tests and scripts. It
 * resolves once the response has started, i.e. once the server has subscribed the stream, so whatever is
 * committed afterwards arrives on it. A non-200 answer resolves too, with its status and `body` in `received`.
 */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: "text/event-stream", ...headers } }, (res) => {
      res.setEncoding("utf8");
      const received: ReceivedEvent[] = [];
      const comments: string[] = [];
      const waiters: { match: (e: ReceivedEvent) => boolean; resolve: (e: ReceivedEvent) => void; reject: (err: Error) => void }[] = [];
      const commentWaiters: { match: (c: string) => boolean; resolve: (c: string) => void; reject: (err: Error) => void }[] = [];
      let buffer = "";
      let isEnded = false;
      let endedResolve!: () => void;
      const ended = new Promise<void>((r) => (endedResolve = r));

      const dispatch = (block: string) => {
        let id: string | undefined;
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) {
            const comment = line.slice(1).trim();
            comments.push(comment);
            for (const w of [...commentWaiters]) {
              if (w.match(comment)) {
                commentWaiters.splice(commentWaiters.indexOf(w), 1);
                w.resolve(comment);
              }
            }
            continue;
          }
          const colon = line.indexOf(":");
          const field = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "id") id = value;
          else if (field === "event") event = value;
          else if (field === "data") data.push(value);
        }
        if (data.length === 0) return;
        const text = data.join("\n");
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        const e: ReceivedEvent = { id, event, data: parsed };
        received.push(e);
        for (const w of [...waiters]) {
          if (w.match(e)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(e);
          }
        }
      };

      const finish = () => {
        if (isEnded) return;
        isEnded = true;
        endedResolve();
        for (const w of waiters.splice(0)) w.reject(new Error("the stream ended before the awaited event arrived"));
        for (const w of commentWaiters.splice(0)) w.reject(new Error("the stream ended before the awaited comment arrived"));
      };

      if (res.statusCode !== 200) {
        let body = "";
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          let parsed: unknown = body;
          try {
            parsed = JSON.parse(body);
          } catch {
            // not JSON
          }
          received.push({ id: undefined, event: "body", data: parsed });
          finish();
          resolve(connection());
        });
        return;
      }
      res.on("data", (chunk: string) => {
        buffer += chunk.replaceAll("\r\n", "\n");
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) !== -1) {
          dispatch(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      });
      res.on("end", finish);
      res.on("close", finish);
      res.on("error", finish);
      // The first chunk (`retry` and a comment) is written once the server has subscribed the stream.
      res.once("data", () => resolve(connection()));

      function connection(): SseConnection {
        return {
          status: res.statusCode ?? 0,
          headers: res.headers,
          received,
          comments,
          ended,
          waitFor(match) {
            const hit = received.find(match);
            if (hit) return Promise.resolve(hit);
            if (isEnded) return Promise.reject(new Error("the stream has ended"));
            return new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
          },
          waitForComment(match) {
            const hit = comments.find(match);
            if (hit !== undefined) return Promise.resolve(hit);
            if (isEnded) return Promise.reject(new Error("the stream has ended"));
            return new Promise((resolve, reject) => commentWaiters.push({ match, resolve, reject }));
          },
          close() {
            req.destroy();
            finish();
          },
        };
      }
    });
    req.on("error", reject);
    req.end();
  });
}
