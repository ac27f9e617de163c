/**
 * The server's configuration: the only module that reads `process.env`.
 * Validated at start-up so a bad value fails fast with a clear message.
 */
import { DEFAULT_MAX_UPLOAD_BYTES, MAX_ATTACHMENT_BYTES } from '@fieldsync/domain';
import { z } from 'zod';

const envSchema = z.object({
  /** postgres:// URL; when absent the embedded PGlite database is used. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * A direct Postgres URL for LISTEN (live pokes) when `DATABASE_URL` points at a
   * transaction pooler such as PgBouncer, where LISTEN does not survive.
   */
  DATABASE_LISTEN_URL: z.string().url().optional(),
  /** `false` turns prepared statements off, for poolers that cannot keep them (PgBouncer in transaction mode). */
  DATABASE_PREPARE: z.enum(['true', 'false']).default('true'),
  /**
   * Reverse proxies (load balancers) in front of the server. Each appends the
   * address it saw to X-Forwarded-For; with N trusted, the sign-in limits count
   * the address N hops from the right. 0: the socket's address (no proxy).
   */
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /** Bearer token for `GET /metrics` (Prometheus); unset, the endpoint answers 404. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /** Where the embedded database and the generated signing key live. */
  DATA_DIR: z.string().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  /** Secret for signing access tokens (≥ 32 chars). Generated and kept in DATA_DIR when absent. */
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
  /** `demo` seeds a demo company into an empty database; `none` seeds nothing. */
  SEED: z.enum(['demo', 'none']).default('demo'),
  /** Password for every demo login; generated and printed when absent. */
  DEMO_PASSWORD: z.string().min(8, 'DEMO_PASSWORD must be at least 8 characters').optional(),
  /** The built web app to serve; defaults to apps/web/dist. */
  WEB_DIST: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Failed sign-ins allowed per email and per address within LOGIN_WINDOW_MINUTES before 429. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  /** `open` lets anyone create a company at POST /api/orgs; `closed` refuses it (403 signup_closed). */
  SIGNUP: z.enum(['open', 'closed']).default('open'),
  /** nodemailer transport URL (`smtp://user:pass@host:587`); without it invite links are only shown, not e-mailed. */
  SMTP_URL: z.string().url('SMTP_URL must be a URL such as smtp://user:password@host:587').optional(),
  /** Sender of invite and reset e-mails. */
  MAIL_FROM: z.string().min(3).default('Fieldsync <no-reply@localhost>'),
  /** Base of invite and reset links (`https://fieldsync.example.com`); the request's own origin when absent. */
  PUBLIC_URL: z
    .string()
    .url('PUBLIC_URL must be a URL such as https://fieldsync.example.com')
    .refine((url) => /^https?:\/\//i.test(url), 'PUBLIC_URL must start with http:// or https://')
    .optional(),
  /** First wait before an alert delivery that failed is tried again; each later wait doubles. */
  ALERT_RETRY_BASE_MS: z.coerce.number().int().positive().default(30_000),
  /** Attempts before an alert delivery is marked `failed`. */
  ALERT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** `true` lets webhooks post to loopback and private addresses (tests, an on-premise receiver). */
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  /** VAPID key pair for Web Push (base64url, as `web-push generate-vapid-keys` prints); generated into DATA_DIR when absent. */
  VAPID_PUBLIC_KEY: z.string().min(20).optional(),
  VAPID_PRIVATE_KEY: z.string().min(20).optional(),
  /** Contact the push services may reach about this sender (`mailto:` or `https:`). */
  VAPID_SUBJECT: z.string().default('mailto:alerts@fieldsync.invalid'),
  /** How often the time-based alerts (job overdue, device stale) are checked. */
  ALERT_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Largest photo or document accepted, in bytes (25 MiB by default). */
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().max(MAX_ATTACHMENT_BYTES).default(DEFAULT_MAX_UPLOAD_BYTES),
});

export type Env = z.infer<typeof envSchema>;

/** Parses the given environment (default `process.env`) or throws one readable error. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return parsed.data;
}
