/**
 * Awaits statements sent together (postgres.js pipelines statements issued in
 * the same tick on the transaction's connection: one write, one wait) and
 * throws the failure that caused the others. Once one statement fails, the
 * ones after it fail only because the transaction is aborted (25P02); the
 * cause is the first failure that is not that. (Argument order is not always
 * the order sent: drizzle's builders start on `then`, async helpers at once.)
 */
export async function pipelined<const Statements extends readonly unknown[]>(
  ...statements: Statements
): Promise<{ -readonly [K in keyof Statements]: Awaited<Statements[K]> }> {
  const settled = await Promise.allSettled(statements);
  const failures = settled.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  if (failures.length > 0) throw failures.find((reason) => !abortedTransaction(reason)) ?? failures[0];
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof Statements]: Awaited<Statements[K]>;
  };
}

/** "current transaction is aborted": a consequence of an earlier failure, never the cause. */
function abortedTransaction(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    if ((current as { code?: unknown }).code === '25P02') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
