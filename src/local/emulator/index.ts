export { startEmulator, type EmulatorOptions, type RunningEmulator } from './server';
export * from './control';
