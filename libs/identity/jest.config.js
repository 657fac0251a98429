module.exports = {
  ...require('../../jest.preset.js'),
  displayName: require('./project.json').name,
  rootDir: __dirname,
  setupFiles: ['<rootDir>/../../tools/jest/structured-clone-realm.js'],
  testMatch: ['<rootDir>/src/**/*.{spec,int-spec,e2e-spec}.ts'],
};
