import { createGlueActivities } from '../../src/activities/glue/activity';
import { createAwsClients, type AwsClients } from '../../src/aws/awsClients';
import { EmulatorControl, startEmulator, type RunningEmulator } from '../../src/local/emulator';

/** The emulator's Glue for a test file: the SDK clients pointed at it, its control, and the Glue activities bound to them. */
export interface GlueEmulator {
  aws: AwsClients;
  control: EmulatorControl;
  activities: ReturnType<typeof createGlueActivities>;
}

/** Starts the emulator once for the test file, resets it before each test and stops it after the file. */
export function useGlueEmulator(): GlueEmulator {
  const glue = {} as GlueEmulator;
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator();
    glue.control = new EmulatorControl(emulator.url);
    glue.aws = createAwsClients({
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      endpoints: { glue: emulator.url, logs: emulator.url },
    });
    glue.activities = createGlueActivities(glue.aws);
  });
  afterAll(async () => {
    Object.values(glue.aws ?? {}).forEach((client) => client.destroy());
    await emulator?.close();
  });
  beforeEach(() => glue.control.reset());
  return glue;
}
