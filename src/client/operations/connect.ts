import { Client, Connection } from '@temporalio/client';
import { dataConverterFromEnv } from '../../codec/dataConverter';
import type { Target } from '../../target/target';

/** A client for the target's Temporal; the caller closes it with `client.connection.close()`. */
export async function connectClient(target: Pick<Target, 'connection' | 'namespace'>): Promise<Client> {
  const connection = await Connection.connect({ connectTimeout: '5s', ...target.connection });
  return new Client({ connection, namespace: target.namespace, dataConverter: dataConverterFromEnv() });
}

/** Connects to the target's Temporal for `use`, and closes the connection however `use` ends. */
export async function withClient<T>(target: Pick<Target, 'connection' | 'namespace'>, use: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(target);
  try {
    return await use(client);
  } finally {
    await client.connection.close();
  }
}
