/**
 * A throwaway PostgreSQL cluster that a test may stop and start at will
 * (never the shared one at 127.0.0.1:5432): initdb into a temp dir, pg_ctl
 * on a free port, trust auth for `postgres`. As root the binaries run as the
 * `postgres` OS user, since initdb and postgres refuse to run as root.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN_DIR = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const IN_CI = process.env.CI === 'true';

/**
 * Whether the cluster binaries exist. Without them the fault tests say so
 * loudly and skip; with CI=true they fail instead.
 */
export function privateClusterSupported(): boolean {
  if (existsSync(join(BIN_DIR, 'pg_ctl'))) return true;
  const message = `\n!!! PostgreSQL binaries not found in ${BIN_DIR} (set PG_BIN_DIR): database fault tests are SKIPPED !!!\n`;
  if (IN_CI) throw new Error(`${message}CI=true requires them.`);
  process.stderr.write(message);
  return false;
}

export interface PrivateCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  start(): void;
  /** `pg_ctl stop -m immediate`: every backend dies at once, as in a crash. */
  stopImmediately(): void;
  /** Stops the cluster (if running) and deletes its files. */
  destroy(): void;
}

export async function createPrivateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'fieldsync-pg-'));
  const dataDir = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const run = (binary: string, args: string[]) => {
    const command = join(BIN_DIR, binary);
    return execFileSync(asRoot ? 'runuser' : command, asRoot ? ['-u', 'postgres', '--', command, ...args] : args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dir,
    });
  };
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  let running = false;
  const cluster: PrivateCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start() {
      run('pg_ctl', ['start', '-w', '-t', '30', '-D', dataDir, '-l', join(dir, 'log'), '-o', options]);
      running = true;
    },
    stopImmediately() {
      run('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', dataDir]);
      running = false;
    },
    destroy() {
      try {
        if (running) cluster.stopImmediately();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  cluster.start();
  return cluster;
}

/** The `postgres` OS user, who runs the private cluster and PgBouncer when the tests run as root. */
export function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { stdio: 'pipe' }).toString().trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'Running the fault tests as root needs a `postgres` OS user to run the private cluster and PgBouncer.',
    );
  }
}

/** A TCP port on 127.0.0.1 free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
