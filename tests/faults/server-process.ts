/**
 * The real server as its own process (`src/main.ts`, as in production), so a
 * test can kill it with SIGKILL like a crashed machine, and start it again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const serverDir = join(import.meta.dirname, '../../apps/server');

export interface ServerProcess {
  child: ChildProcess;
  /** Where it listens (`http://127.0.0.1:<port>`). */
  url: string;
  /** Settles with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string | null>;
  /** Everything it printed, for a failure message. */
  output(): string;
}

/** Starts `src/main.ts` on a free port and resolves once it prints the address it listens on. */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  // `node --import tsx`, not the tsx CLI: the CLI runs the server in a child process of its own,
  // and a SIGKILL to the CLI would leave that child serving.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      // main.ts prints the address itself (not through the logger), so LOG_LEVEL=silent keeps it.
      const port = output.match(/Fieldsync is running at http:\/\/[^:\s]+:(\d+)/)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}`, exited, output: () => output });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening:\n${output}`)));
  });
}

/** SIGKILL: no shutdown hook runs, open connections are cut mid-answer. Resolves once the process is gone. */
export async function killHard(server: ServerProcess): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) {
    process.kill(server.child.pid as number, 'SIGKILL');
  }
  await server.exited;
}
