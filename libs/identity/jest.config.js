module.exports = {
  ...require('../../jest.preset.js'),
  displayName: require('./project.json').name,
  rootDir: __dirname,
  setupFiles: ['<rootDir>/jest.realm-setup.js'],
  testMatch: ['<rootDir>/src/**/*.{spec,int-spec,e2e-spec}.ts'],
};
