import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/**
 * Starts `tierline serve` in its own process and resolves once it says it is running. `built`: the compiled
 * server (`dist/`, as `npm start` runs it); otherwise the source through tsx's loader. BENCH_NODE_FLAGS
 * (e.g. "--cpu-prof") go to its node, BENCH_SERVE_FLAGS (e.g. "--no-outbox") to `serve`.
 */
export function startServer(env: Record<string, string>, opts: { built: boolean }): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
    const serveFlags = (process.env.BENCH_SERVE_FLAGS ?? "").split(" ").filter(Boolean);
    const entry = opts.built ? ["dist/cli/main.js"] : ["--import", "tsx", "src/cli/main.ts"];
    const child = spawn(process.execPath, [...flags, ...entry, "serve", ...serveFlags], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Tierline is running")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** The server's peak resident memory (VmHWM), in MB. */
export function serverPeakRssMb(child: ChildProcess): number | null {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return null;
  }
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
