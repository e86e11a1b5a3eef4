export { startEmulator, createEmulatorServer, type EmulatorOptions, type RunningEmulator } from './server';
export * from './control';
