// Shared Jest settings for every project. ts-jest transpiles each file on its own
// (isolatedModules in tsconfig.spec.json): type errors are caught by `npm run lint` (typecheck).
const nxPreset = require('@nx/jest/preset').default;

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  coverageReporters: ['text-summary'],
  reporters: ['default', require.resolve('./tools/jest/summary-reporter.js')],
};
