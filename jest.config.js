// Every project's tests in one run (used by `npm test`); Nx runs them per project too.
const { globSync } = require('node:fs');

module.exports = {
  projects: globSync('{{apps,libs,tools}/*,benchmarks}/jest.config.js', { cwd: __dirname }).map((p) => `<rootDir>/${p}`),
};
