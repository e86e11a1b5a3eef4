/**
 * The local stack's loopback ports. The defaults are fixed, so the UI link and the `temporal` CLI's defaults
 * work; each can be moved with its environment variable when `etl stack up` starts the stack (say, when another
 * program holds the port). Commands that use the stack afterwards read the ports from its state file.
 */
export const stackPorts = { temporal: 7233, temporalUi: 8233, moto: 4566, emulator: 4567, workerMetrics: 9464, codecServer: 8888 };

export type StackPorts = typeof stackPorts;

export const stackPortVariables: Record<keyof StackPorts, string> = {
  temporal: 'ETL_STACK_TEMPORAL_PORT',
  temporalUi: 'ETL_STACK_UI_PORT',
  moto: 'ETL_STACK_MOTO_PORT',
  emulator: 'ETL_STACK_EMULATOR_PORT',
  workerMetrics: 'ETL_STACK_METRICS_PORT',
  codecServer: 'ETL_STACK_CODEC_SERVER_PORT',
};

/** The defaults, with each port whose variable is set replaced by its value. */
export function stackPortsFromEnv(env: NodeJS.ProcessEnv = process.env): StackPorts {
  const ports = { ...stackPorts };
  for (const [name, variable] of Object.entries(stackPortVariables) as [keyof StackPorts, string][]) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${variable} must be a port number (1-65535), got "${value}"`);
    ports[name] = port;
  }
  return ports;
}
