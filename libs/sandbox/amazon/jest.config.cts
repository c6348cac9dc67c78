module.exports = {
  displayName: 'amazon-sandbox-lib',
  preset: '../../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageDirectory: '../../../coverage/libs/sandbox/amazon',
};
