/**
 * A problem with how edgress was asked to run: an unknown or bad flag, flags
 * that do not go together, an unusable `edgress.toml`. Every command ends
 * with exit status 2 on it (`sync/cli/exit.ts`). Here, not in the CLI,
 * because the configuration-file reader of the agent throws it too.
 *
 * @example
 * ```ts
 * if (!flags.out) throw new UsageError('give --out <file>');
 * ```
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
