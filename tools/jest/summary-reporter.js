// Appends each Jest run's totals to tmp/test-summary.jsonl, so `.ci/run` can print one closing
// line for the whole workspace ("tests: N passed, N failed").
const { appendFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const dir = join(__dirname, '../../tmp');
    mkdirSync(dir, { recursive: true });
    appendFileSync(
      join(dir, 'test-summary.jsonl'),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests,
        skipped: results.numPendingTests + results.numTodoTests,
        suitesFailed: results.numFailedTestSuites + results.numRuntimeErrorTestSuites,
      }) + '\n',
    );
  }
}

module.exports = SummaryReporter;
