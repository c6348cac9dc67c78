module.exports = {
  displayName: 'tools',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // The repo test copies the workspace and runs Nx in it: one file at a time, generous timeout.
  maxWorkers: 1,
  testTimeout: 30000,
  coverageDirectory: '../../coverage/tools/generators',
};
