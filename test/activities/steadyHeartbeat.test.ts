import { heartbeat, withSteadyHeartbeat } from '../../src/activities/steadyHeartbeat';
import { activityEnvironment } from '../support/activities';

// An activity under withSteadyHeartbeat keeps heartbeating while it is busy with one long call, repeating the
// details it heartbeated last (at first, those of the attempt before), so its heartbeat timeout can stay short.

test('while the work is busy, the details heartbeated last are heartbeated again', async () => {
  const env = activityEnvironment();
  const beats: unknown[] = [];
  let twoRepeats: () => void;
  const repeated = new Promise<void>((resolve) => (twoRepeats = resolve));
  env.on('heartbeat', (details: unknown) => {
    beats.push(details);
    if (beats.length === 3) twoRepeats();
  });

  await env.run(() =>
    withSteadyHeartbeat(async () => {
      heartbeat({ filesDone: 1 });
      // One long call, such as a 5 GiB CopyObject, with nothing to report meanwhile.
      await repeated;
    }),
  );

  expect(beats).toEqual([{ filesDone: 1 }, { filesDone: 1 }, { filesDone: 1 }]);
});

test("a retry that has not heartbeated yet repeats the attempt before's details, so they are not lost", async () => {
  const env = activityEnvironment({ heartbeatDetails: { checked: ['a.csv'] } });
  const beats: unknown[] = [];
  let repeatedOnce: () => void;
  const repeated = new Promise<void>((resolve) => (repeatedOnce = resolve));
  env.on('heartbeat', (details: unknown) => {
    beats.push(details);
    repeatedOnce();
  });

  await env.run(() => withSteadyHeartbeat(() => repeated));

  expect(beats).toEqual([{ checked: ['a.csv'] }]);
});
