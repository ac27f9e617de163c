/**
 * Awaits statements sent together (postgres.js pipelines statements issued in
 * the same tick on the transaction's connection: one write, one wait) and
 * throws the first failure in the order sent. Once one statement fails, the
 * ones after it fail only because the transaction is aborted.
 */
export async function pipelined<const Statements extends readonly unknown[]>(
  ...statements: Statements
): Promise<{ -readonly [K in keyof Statements]: Awaited<Statements[K]> }> {
  const settled = await Promise.allSettled(statements);
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof Statements]: Awaited<Statements[K]>;
  };
}
