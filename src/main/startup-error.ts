/** A start-up refusal the user can fix: the CLI prints its message and exits 1, without a stack trace. */
export class StartupError extends Error {
  override name = 'StartupError';
}
