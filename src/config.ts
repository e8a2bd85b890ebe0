import { resolve } from "node:path";
import { IANAZone } from "luxon";
import { z } from "zod";

/**
 * All configuration, read and validated once at start-up. Every variable has a safe default for the
 * embedded mode, so `tierline serve` runs with none set.
 */
const envSchema = z.object({
  /** PostgreSQL connection string; when unset, Tierline uses the embedded PGlite store. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  /** Folder of the embedded store's data (ignored when DATABASE_URL is set). */
  TIERLINE_DATA_DIR: z.string().min(1).default("./data"),
  /**
   * Where attachment and raw-mail bytes are kept: `fs` (files under TIERLINE_BLOB_DIR) or `postgres` (tables of
   * the PostgreSQL server; needs DATABASE_URL). Default: fs for the embedded store, postgres with DATABASE_URL.
   */
  TIERLINE_BLOB_STORE: z.enum(["fs", "postgres"]).optional(),
  /** Folder of the fs blob store; default `<TIERLINE_DATA_DIR>/blobs`. With several servers, a folder they all share. */
  TIERLINE_BLOB_DIR: z.string().min(1).optional(),
  /** Interface the HTTP server binds to. */
  TIERLINE_HOST: z.string().min(1).default("127.0.0.1"),
  /** TCP port of the HTTP server. */
  TIERLINE_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public base URL, used in printed links; defaults to http://HOST:PORT. */
  TIERLINE_PUBLIC_URL: z.string().url().optional(),
  /** Secret that signs session cookies (at least 32 characters); when unset, one is generated and kept in the store. */
  TIERLINE_SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Lifetime of a login session, in hours. */
  TIERLINE_SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  /** Mark the session cookie Secure (set to true behind HTTPS). */
  TIERLINE_COOKIE_SECURE: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  /** Login attempts allowed per client address and minute. */
  TIERLINE_LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Maximum connections in the PostgreSQL pool. */
  TIERLINE_PG_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Minutes an approver has to decide on a resolution above the requester's limit before it goes to the next approver up. */
  TIERLINE_APPROVAL_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(60 * 24 * 30).default(240),
  /** Minutes a ticket must be open before its customer may ask for escalation (sooner only once its first-response target is missed). */
  TIERLINE_CUSTOMER_ESCALATION_MIN_AGE_MINUTES: z.coerce.number().int().min(0).max(60 * 24 * 365).default(240),
  /** Escalation requests one customer may make in any 24 hours, over all their tickets. */
  TIERLINE_CUSTOMER_ESCALATION_DAILY_LIMIT: z.coerce.number().int().min(1).max(1000).default(3),
  /** Outgoing mail server, e.g. smtp://user:pass@host:587 or smtps://…; unset: email is not sent (deliveries wait). */
  TIERLINE_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/?#]+/, "must be smtp://[user:pass@]host[:port] or smtps://…")
    .refine((v) => URL.canParse(v), "is not a valid URL")
    .optional(),
  /** The From of every mail Tierline sends (and the Reply-To where no mailbox address is known). */
  TIERLINE_MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, 'must be an address, e.g. "Support <support@example.com>"')
    .default("Tierline Support <support@localhost>"),
  /** The domain of the Message-IDs of outgoing mail. */
  TIERLINE_MAIL_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, "must be a domain name")
    .default("localhost"),
  /**
   * Where the built-in SMTP listener for inbound mail listens, as host:port (e.g. 127.0.0.1:2525); unset: no
   * listener. It takes mail for the mailboxes' addresses without authentication: run it behind your MTA.
   */
  TIERLINE_SMTP_LISTEN: z
    .string()
    .regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/, "must be host:port, e.g. 127.0.0.1:2525")
    .refine((v) => Number(v.slice(v.lastIndexOf(":") + 1)) <= 65535, "the port must be at most 65535")
    .optional(),
  /** PEM private key file that, with TIERLINE_SMTP_TLS_CERT, enables STARTTLS on the SMTP listener. */
  TIERLINE_SMTP_TLS_KEY: z.string().min(1).optional(),
  /** PEM certificate (chain) file for STARTTLS on the SMTP listener. */
  TIERLINE_SMTP_TLS_CERT: z.string().min(1).optional(),
  /** Largest inbound mail in bytes; the SMTP listener refuses larger mail (552). */
  TIERLINE_MAIL_MAX_BYTES: z.coerce.number().int().min(10_000).max(1024 * 1024 * 1024).default(40 * 1024 * 1024),
  /** Attachments one inbound mail may carry in all, in bytes; a mail with more is quarantined. */
  TIERLINE_MAIL_MAX_ATTACHMENT_BYTES: z.coerce.number().int().min(0).max(1024 * 1024 * 1024).default(25 * 1024 * 1024),
  /** Poll the IMAP accounts of the mailboxes in `serve` (false: leave polling to other instances). */
  TIERLINE_IMAP_POLL: z.enum(["true", "false"]).default("true").transform((v) => v === "true"),
  /** Attempts at sending one notification (email, webhook) before it is given up as dead; retries back off exponentially. */
  TIERLINE_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** Seconds before the first retry of a failed delivery; each further retry waits twice as long (at most 6 hours). */
  TIERLINE_DELIVERY_RETRY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Seconds a webhook receiver has to answer before the attempt counts as failed. */
  TIERLINE_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  /** Seconds between the heartbeat comments of a live-update stream (proxies close streams idle for long). */
  TIERLINE_STREAM_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(120).default(20),
  /** Origins whose pages may use the web chat (comma-separated, e.g. https://shop.example,https://www.shop.example), or * for any. */
  TIERLINE_CHAT_ORIGINS: z
    .string()
    .trim()
    .default("*")
    .refine(
      (v) => v === "*" || v.split(",").every((o) => /^https?:\/\/[^/\s?#]+$/.test(o.trim()) && URL.canParse(o.trim())),
      "must be * or a comma-separated list of origins such as https://shop.example",
    ),
  /** Chat conversations one client address may start per minute. */
  TIERLINE_CHAT_START_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /** Chat messages one client address may send per minute. */
  TIERLINE_CHAT_MESSAGE_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  /** IANA zone of times in mail whose reader has no calendar (nor has the ticket's SLA policy), e.g. Europe/Berlin. */
  TIERLINE_TIME_ZONE: z
    .string()
    .default("UTC")
    .refine((v) => IANAZone.isValidZone(v), "must be an IANA time zone such as Europe/Berlin or UTC"),
  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  TIERLINE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
  blobStore: { kind: "fs"; dir: string } | { kind: "postgres" };
  host: string;
  port: number;
  publicUrl: string;
  sessionSecret: string | undefined;
  sessionTtlHours: number;
  cookieSecure: boolean;
  loginRateLimit: number;
  pgPoolSize: number;
  approvalTimeoutMinutes: number;
  customerEscalationMinAgeMinutes: number;
  customerEscalationDailyLimit: number;
  streamHeartbeatSeconds: number;
  /** "*" or the allowed origins, normalised (scheme://host[:port]). */
  chatOrigins: "*" | string[];
  chatStartRateLimit: number;
  chatMessageRateLimit: number;
  logLevel: z.infer<typeof envSchema>["TIERLINE_LOG_LEVEL"];
  deliveryMaxAttempts: number;
  deliveryRetrySeconds: number;
  webhookTimeoutSeconds: number;
  smtpListen: { host: string; port: number } | undefined;
  smtpTls: { keyFile: string; certFile: string } | undefined;
  mailMaxBytes: number;
  mailMaxAttachmentBytes: number;
  imapPoll: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  mailDomain: string;
  timeZone: string;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Reads and validates the configuration from an environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if ((e.TIERLINE_SMTP_TLS_KEY === undefined) !== (e.TIERLINE_SMTP_TLS_CERT === undefined)) {
    throw new ConfigError("Invalid configuration:\n  TIERLINE_SMTP_TLS_KEY, TIERLINE_SMTP_TLS_CERT: give both or neither");
  }
  const blobKind = e.TIERLINE_BLOB_STORE ?? (e.DATABASE_URL ? "postgres" : "fs");
  if (blobKind === "postgres" && !e.DATABASE_URL) {
    throw new ConfigError("Invalid configuration:\n  TIERLINE_BLOB_STORE: postgres needs DATABASE_URL (the embedded store keeps blobs as files)");
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.TIERLINE_DATA_DIR),
    blobStore: blobKind === "fs" ? { kind: "fs", dir: resolve(e.TIERLINE_BLOB_DIR ?? `${e.TIERLINE_DATA_DIR}/blobs`) } : { kind: "postgres" },
    host: e.TIERLINE_HOST,
    port: e.TIERLINE_PORT,
    publicUrl: e.TIERLINE_PUBLIC_URL ?? `http://${e.TIERLINE_HOST}:${e.TIERLINE_PORT}`,
    sessionSecret: e.TIERLINE_SESSION_SECRET,
    sessionTtlHours: e.TIERLINE_SESSION_TTL_HOURS,
    cookieSecure: e.TIERLINE_COOKIE_SECURE,
    loginRateLimit: e.TIERLINE_LOGIN_RATE_LIMIT,
    pgPoolSize: e.TIERLINE_PG_POOL_SIZE,
    approvalTimeoutMinutes: e.TIERLINE_APPROVAL_TIMEOUT_MINUTES,
    customerEscalationMinAgeMinutes: e.TIERLINE_CUSTOMER_ESCALATION_MIN_AGE_MINUTES,
    customerEscalationDailyLimit: e.TIERLINE_CUSTOMER_ESCALATION_DAILY_LIMIT,
    streamHeartbeatSeconds: e.TIERLINE_STREAM_HEARTBEAT_SECONDS,
    chatOrigins: e.TIERLINE_CHAT_ORIGINS === "*" ? "*" : e.TIERLINE_CHAT_ORIGINS.split(",").map((o) => new URL(o.trim()).origin),
    chatStartRateLimit: e.TIERLINE_CHAT_START_RATE_LIMIT,
    chatMessageRateLimit: e.TIERLINE_CHAT_MESSAGE_RATE_LIMIT,
    logLevel: e.TIERLINE_LOG_LEVEL,
    deliveryMaxAttempts: e.TIERLINE_DELIVERY_MAX_ATTEMPTS,
    deliveryRetrySeconds: e.TIERLINE_DELIVERY_RETRY_SECONDS,
    webhookTimeoutSeconds: e.TIERLINE_WEBHOOK_TIMEOUT_SECONDS,
    smtpListen: e.TIERLINE_SMTP_LISTEN ? hostAndPort(e.TIERLINE_SMTP_LISTEN) : undefined,
    smtpTls: e.TIERLINE_SMTP_TLS_KEY && e.TIERLINE_SMTP_TLS_CERT ? { keyFile: e.TIERLINE_SMTP_TLS_KEY, certFile: e.TIERLINE_SMTP_TLS_CERT } : undefined,
    mailMaxBytes: e.TIERLINE_MAIL_MAX_BYTES,
    mailMaxAttachmentBytes: e.TIERLINE_MAIL_MAX_ATTACHMENT_BYTES,
    imapPoll: e.TIERLINE_IMAP_POLL,
    smtpUrl: e.TIERLINE_SMTP_URL,
    mailFrom: e.TIERLINE_MAIL_FROM,
    mailDomain: e.TIERLINE_MAIL_DOMAIN,
    timeZone: e.TIERLINE_TIME_ZONE,
  };
}

/** "host:port" or "[v6]:port" as its parts (already validated). */
function hostAndPort(v: string): { host: string; port: number } {
  const at = v.lastIndexOf(":");
  return { host: v.slice(0, at).replace(/^\[(.*)\]$/, "$1"), port: Number(v.slice(at + 1)) };
}
