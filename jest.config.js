/** Jest runs the TypeScript sources directly through swc; `npm run typecheck` checks the types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // hyparquet is ES modules only, which jest's CommonJS sandbox loads only compiled (Node loads it with require()).
  transform: { '^.+\\.ts$': ['@swc/jest'], '/node_modules/hyparquet/.+\\.js$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet/)'],
  testTimeout: 120_000,
  // A failed test can leave a worker polling a server its file already stopped; the run must still end, and fail.
  forceExit: true,
};
