import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a test receiver took. */
export type ReceivedRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };

/** How the receiver answers: a status (with an optional body and headers), or "hang" to never answer. */
export type ReceiverAnswer = number | { status: number; body?: string; headers?: Record<string, string> } | "hang";

/**
 * A real HTTP server on 127.0.0.1 that records what it is sent, for webhook tests. `answer` decides each
 * reply from the request and how many came before it (default 200). `waitFor(n)` resolves once n requests
 * have arrived, without polling.
 */
export async function startReceiver(answer: (req: ReceivedRequest, index: number) => ReceiverAnswer = () => 200) {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const received: ReceivedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      const reply = answer(received, requests.length);
      requests.push(received);
      for (const w of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      if (reply === "hang") {
        hanging.push(res);
        return;
      }
      const { status, body, headers } = typeof reply === "number" ? { status: reply, body: undefined, headers: undefined } : reply;
      res.writeHead(status, { "content-type": "text/plain", ...headers });
      res.end(body ?? (status < 300 ? "ok" : `status ${status}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/hooks/tierline`,
    requests,
    waitFor(count: number): Promise<void> {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close(): Promise<void> {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
