import { resolveTarget } from '../../../target/target';
import { withClient } from '../../operations/connect';
import { registerSearchAttributes } from '../../operations/searchAttributeSetup';

/** Prepares the configured Temporal namespace for the pipelines: registers their search attributes. */
export async function setupCommand() {
  const target = resolveTarget();
  await withClient(target, async (client) => {
    const { added, found } = await registerSearchAttributes(client.connection, target.namespace);
    console.log(`Search attributes on namespace ${target.namespace} at ${target.connection.address}:`);
    for (const declaration of added) console.log(`  added        ${declaration}`);
    for (const declaration of found) console.log(`  already set  ${declaration}`);
    console.log(added.length ? `Added ${added.length}; the namespace is ready.` : 'Nothing to add; the namespace is ready.');
  });
}
