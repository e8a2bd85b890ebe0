import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";

const DOVECOT = "/usr/sbin/dovecot";

export type Dovecot = {
  host: string;
  port: number;
  /** An IMAP client logged in as a user (logout when done). */
  client(user: string): Promise<ImapFlow>;
  /** Appends a raw message to a user's folder (created if missing); returns its UID. */
  append(user: string, raw: Buffer | string, folder?: string): Promise<number>;
  /** The server's log so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
};

/**
 * Starts a real Dovecot IMAP server for a test file: its own configuration in a temporary folder, listening
 * on 127.0.0.1 on a free port, plaintext logins (no TLS) for the given passwd-file users with {PLAIN}
 * passwords, and maildirs under the folder. Its login and internal processes run as Debian's `dovenull`
 * and `dovecot` users and the mail is owned by `mail`, so the tests must run as root (as CI does).
 * Dovecot missing is a failure with instructions, not a skip: CI installs `dovecot-imapd`.
 */
export async function startDovecot(users: Record<string, string>): Promise<Dovecot> {
  if (!existsSync(DOVECOT)) {
    throw new Error(`Dovecot is not installed (${DOVECOT} is missing). The IMAP tests need a real IMAP server: apt-get install dovecot-imapd (.ci/run installs it).`);
  }
  if (userInfo().uid !== 0) throw new Error("The Dovecot test server must be started as root (its mail is owned by the `mail` user).");
  const dir = mkdtempSync(join(tmpdir(), "tierline-dovecot-"));
  // Dovecot's unprivileged processes must reach the maildirs and the passwd file under here.
  chmodSync(dir, 0o755);
  const mail = join(dir, "mail");
  mkdirSync(mail);
  const { uid: mailUid, gid: mailGid } = idsOf("mail");
  chownSync(mail, mailUid, mailGid);
  const passwd = join(dir, "users");
  writeFileSync(passwd, Object.entries(users).map(([user, password]) => `${user}:{PLAIN}${password}\n`).join(""), { mode: 0o644 });
  const port = await freePort();
  const logPath = join(dir, "dovecot.log");
  const conf = join(dir, "dovecot.conf");
  writeFileSync(
    conf,
    `base_dir = ${join(dir, "run")}
state_dir = ${join(dir, "state")}
log_path = ${logPath}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 1
first_valid_gid = 1
mail_uid = mail
mail_gid = mail
mail_location = maildir:${mail}/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${passwd}
}
userdb {
  driver = static
  args = uid=mail gid=mail home=${mail}/%u
}
# The tests fail logins on purpose: no growing penalty per client address (auth cannot reach this socket).
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`,
  );
  const child = spawn(DOVECOT, ["-F", "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const log = () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "") + stderr;
  try {
    await waitForGreeting(port, child, log);
  } catch (err) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  async function client(user: string): Promise<ImapFlow> {
    const c = new ImapFlow({ host: "127.0.0.1", port, secure: false, auth: { user, pass: users[user]! }, logger: false, disableAutoIdle: true });
    c.on("error", () => undefined);
    await c.connect();
    return c;
  }

  return {
    host: "127.0.0.1",
    port,
    client,
    async append(user, raw, folder = "INBOX") {
      const c = await client(user);
      try {
        if (folder !== "INBOX") await c.mailboxCreate(folder).catch(() => undefined);
        const res = await c.append(folder, raw);
        if (!res || !res.uid) throw new Error("APPEND returned no UID");
        return res.uid;
      } finally {
        await c.logout();
      }
    },
    log,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function idsOf(user: string): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${user}:`));
  if (!line) throw new Error(`The system user "${user}" is missing (Debian's dovecot-core creates dovecot and dovenull; base-passwd has mail).`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Waits until Dovecot answers with its IMAP greeting (it starts in well under a second; 20 s is the give-up point). */
async function waitForGreeting(port: number, child: ChildProcess, log: () => string): Promise<void> {
  let exited: string | null = null;
  child.once("exit", (code, signal) => (exited = `exit ${code ?? signal}`));
  for (let attempt = 0; attempt < 200; attempt++) {
    if (exited) throw new Error(`Dovecot stopped at start (${exited}):\n${log()}`);
    if (await greets(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Dovecot did not answer on 127.0.0.1:${port}:\n${log()}`);
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("data", (d) => {
      socket.destroy();
      resolve(d.toString().startsWith("* OK"));
    });
    socket.once("error", () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
