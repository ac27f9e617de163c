// Public surface of @fieldsync/server, for cross-app tests and benchmarks.
import * as schema from './db/schema';

export { createApp } from './app';
export { hashPassword } from './auth/passwords';
export { type Database, type DatabaseKind, openDatabase } from './db/database';
export { migrate } from './db/migrate';
export { type Env, loadEnv } from './env';
export type { ServerDeps } from './http/context';
export { DEMO_LOGINS, seedDemoCompany } from './seed/demo-company';
export { buildDeps, type RunningServer, startServer } from './server';
export { schema };
