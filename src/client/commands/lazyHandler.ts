/**
 * A command's handler, loaded when the command runs: each command loads only what it uses, so `etl status`
 * loads no worker, AWS SDK or log formatter.
 */
export function lazyHandler<Name extends string, Args extends unknown[]>(
  load: () => Promise<Record<NoInfer<Name>, (...args: Args) => Promise<void>>>,
  name: Name,
): (...args: Args) => Promise<void> {
  return async (...args) => (await load())[name](...args);
}
