// Prints the workspace's test totals from tmp/test-summary.jsonl (written by the Jest reporter).
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const file = join(__dirname, '../../tmp/test-summary.jsonl');
const t = { passed: 0, failed: 0, skipped: 0, suitesFailed: 0 };
if (existsSync(file)) {
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    for (const k of Object.keys(t)) t[k] += r[k] ?? 0;
  }
}
process.stdout.write(`tests: ${t.passed} passed, ${t.failed + t.suitesFailed} failed, ${t.skipped} skipped\n`);
process.exit(t.passed > 0 && t.failed + t.suitesFailed === 0 ? 0 : 1);
