module.exports = {
  displayName: 'inventory-host',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // End-to-end tests boot the real app on real databases: one file at a time keeps SQLite and
  // PostgreSQL schemas apart and the machine responsive.
  maxWorkers: 1,
  testTimeout: 60000,
  coverageDirectory: '../../coverage/apps/inventory-host',
};
