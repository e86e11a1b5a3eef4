import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';

/**
 * Histories recorded from real runs (see README, "Replay tests"). Replaying them with today's workflow
 * code fails when a change would break runs that are already in flight.
 */
const historiesDir = join(__dirname, 'histories');
const histories = readdirSync(historiesDir).filter((file) => file.endsWith('.json'));

test('there are recorded histories to replay', () => {
  expect(histories.length).toBeGreaterThanOrEqual(3);
});

test.each(histories)('%s replays with the current workflow code', async (file) => {
  const history = JSON.parse(readFileSync(join(historiesDir, file), 'utf8'));
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../../src/workflows') }, history, file);
});
