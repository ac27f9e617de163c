import { loadEnv } from './env';
import { startServer } from './server';

try {
  const running = await startServer(loadEnv());
  process.stdout.write(`\nFieldsync is running at ${running.url}  (database: ${running.database.kind})\n\n`);
  const shutdown = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  process.stderr.write(`Fieldsync could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
