module.exports = {
  ...require('../../jest.preset.js'),
  displayName: require('./project.json').name,
  rootDir: __dirname,
  // The local identity provider runs in the tests' process (see the file).
  setupFiles: ['<rootDir>/../../tools/jest/structured-clone-realm.js'],
  testMatch: ['<rootDir>/src/**/*.{spec,int-spec,e2e-spec}.ts'],
};
