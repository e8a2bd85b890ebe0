import { resolve } from "node:path";
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
  /** Log level: fatal, error, warn, info, debug, trace or silent. */
  TIERLINE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Config = {
  databaseUrl: string | undefined;
  dataDir: string;
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
  logLevel: z.infer<typeof envSchema>["TIERLINE_LOG_LEVEL"];
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
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.TIERLINE_DATA_DIR),
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
    logLevel: e.TIERLINE_LOG_LEVEL,
  };
}
