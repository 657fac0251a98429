// Prints the skipped tests by name, then Jest's totals as one plain closing line:
// "N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`no test results in ${file}: ${error.message}`);
  process.exit(1);
}
// Skips are named, so a suite that could not run here (e.g. EventStoreDB) is visible.
for (const file of results.testResults) {
  for (const test of file.assertionResults) {
    if (test.status === 'pending' || test.status === 'todo') console.log(`skipped: ${test.fullName}`);
  }
}
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
