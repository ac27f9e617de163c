import type { Logger } from 'pino';
import type { DeliveryWorker } from '../alerts/delivery-worker';
import type { AuthService } from '../auth/auth-service';
import type { AuthUser } from '../auth/tokens';
import type { InviteLinks } from '../company/invite-links';
import type { Database } from '../db/database';
import type { ChangeHub } from '../sync/change-hub';
import type { PullService } from '../sync/pull-service';
import type { PushService } from '../sync/push-service';
import type { ServerMetrics } from './metrics';

/** Everything a request handler may use; built once at start-up. */
export interface ServerDeps {
  database: Database;
  auth: AuthService;
  signingKey: Uint8Array;
  logger: Logger;
  now: () => Date;
  push: PushService;
  pull: PullService;
  changes: ChangeHub;
  /** Sign-in links: issuing (and e-mailing) them, and accepting them. */
  invites: InviteLinks;
  /** Whether `POST /api/orgs` takes new companies (`SIGNUP=open`). */
  signupOpen: boolean;
  /** `TRUSTED_PROXIES`: reverse proxies in front whose `X-Forwarded-For` entries name the caller (0: none). */
  trustedProxies?: number;
  /** Event-stream heartbeat; 25 s unless a test shortens it. */
  heartbeatMs?: number;
  /** How often an open event stream re-checks that its account is still active; `ACCOUNT_RECHECK_MS` unless a test changes it. */
  accountRecheckMs?: number;
  /** Alert delivery: the worker (started by `startServer`, driven by hand in tests) and Web Push settings. */
  alerts: {
    worker: DeliveryWorker;
    /** The VAPID public key browsers subscribe with. */
    vapidPublicKey: string;
    /** `WEBHOOK_ALLOW_PRIVATE=true`: webhooks and push endpoints may point at loopback and private hosts. */
    allowPrivateTargets: boolean;
  };
  /** `MAX_UPLOAD_BYTES`: the largest photo or document accepted. */
  maxUploadBytes: number;
  /** Reported by /api/health. */
  version: string;
  /**
   * Prometheus metrics, shared by the app and the alert worker (`GET /metrics`).
   * Optional for hand-made deps in unit tests: `createApp` then makes its own.
   */
  metrics?: ServerMetrics;
}

/** Hono's per-request variables. */
export interface AppEnv {
  /** `requestId` is set for every request (taken from `X-Request-Id` or generated) and sent back. */
  Variables: { user: AuthUser; requestId: string };
}
