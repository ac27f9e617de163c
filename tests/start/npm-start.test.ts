/**
 * Boots the server the way `npm start` does (embedded PGlite, demo seed, a
 * real port) and checks that a newcomer can sign in, and that a restart on
 * the same data directory keeps the data and signs nobody out.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const serverDir = join(import.meta.dirname, '../../apps/server');
const dataDir = mkdtempSync(join(tmpdir(), 'fieldsync-start-'));
const running: ChildProcess[] = [];

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `src/main.ts` and resolves with the URL it prints once it listens. */
function startServer(
  env: Record<string, string>,
): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(join(serverDir, 'node_modules/.bin/tsx'), ['src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = output.match(/Fieldsync is running at (http:\/\/\S+)/);
      if (match?.[1]) {
        resolve({
          url: match[1],
          output: () => output,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

async function login(url: string, email: string, password: string) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, body: (await response.json()) as { accessToken?: string } };
}

test('npm start: embedded database, demo company seeded, health and sign-in work, restart keeps sessions', async () => {
  const password = 'demo-password-123';
  const first = await startServer({ DATA_DIR: dataDir, DEMO_PASSWORD: password, SEED: 'demo' });
  expect(first.output()).toContain('admin@example.com');
  expect(first.output()).toContain('dispatcher1@example.com');

  const health = await fetch(`${first.url}/api/health`);
  expect(await health.json()).toMatchObject({ status: 'ok', db: 'pglite' });

  const admin = await login(first.url, 'admin@example.com', password);
  expect(admin.status).toBe(200);
  const contractor = await login(first.url, 'contractor12@example.com', password);
  expect(contractor.status).toBe(200);
  // The app shell is served too.
  const shell = await fetch(`${first.url}/`);
  expect(shell.status).toBe(200);
  expect(await shell.text()).toContain('<div id="root">');
  await first.stop();

  const second = await startServer({ DATA_DIR: dataDir, SEED: 'demo' });
  expect(second.output()).not.toContain('Seeded demo company');
  const pull = await fetch(`${second.url}/api/sync/pull?clientId=0190a0a0-0000-7000-8000-000000000001&limit=5`, {
    headers: { authorization: `Bearer ${admin.body.accessToken}` },
  });
  expect(pull.status).toBe(200);
  await second.stop();
}, 120_000);

test('SEED=none starts on an empty database with no demo company', async () => {
  const emptyDir = mkdtempSync(join(tmpdir(), 'fieldsync-empty-'));
  try {
    const server = await startServer({ DATA_DIR: emptyDir, SEED: 'none', DEMO_PASSWORD: 'demo-password-123' });
    expect(server.output()).not.toContain('Seeded demo company');
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    const admin = await login(server.url, 'admin@example.com', 'demo-password-123');
    expect(admin.status).toBe(401);
    await server.stop();
  } finally {
    rmSync(emptyDir, { recursive: true, force: true });
  }
}, 60_000);

test('a bad configuration value stops start-up with a clear message', async () => {
  await expect(startServer({ DATA_DIR: dataDir, PORT: 'eighty' })).rejects.toThrow(/Invalid configuration:[\s\S]*PORT/);
});
