import { loadEnv } from './env';
import { startServer } from './server';

try {
  const running = await startServer(loadEnv());
  process.stdout.write(`\nFieldsync is running at ${running.url}  (database: ${running.database.kind})\n\n`);
  // SIGTERM (an orchestrator stopping us) and SIGINT (Ctrl-C): refuse new connections, let pushes in
  // flight commit and answer, end event streams, then exit 0. A second signal kills at once.
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    running.deps.logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        running.deps.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  process.stderr.write(`Fieldsync could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
