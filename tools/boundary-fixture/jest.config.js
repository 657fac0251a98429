module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'boundary-fixture',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
