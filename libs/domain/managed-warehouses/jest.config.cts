module.exports = {
  displayName: 'domain-managed-warehouses',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../../coverage/libs/domain/managed-warehouses',
};
