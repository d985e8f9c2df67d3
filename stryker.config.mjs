// StrykerJS: mutation testing of the unit suite (`npm run mutation -- FILES…`, see
// scripts/mutation.sh). Each unit test file runs under node:test with tsx, printing TAP
// that the tap-runner reads; a mutant is run only against the test files that reached
// it in the dry run (perTest coverage, one "test" per file). Mutants are not type-checked:
// a mutant that would not compile is still a change the tests should notice.
// The unit test files to run (scripts/mutation.sh picks them: those about the mutated files).
const testFiles = (process.env.TEND_MUTATION_TESTS ?? 'test/unit/*.test.ts').split(/\s+/).filter(Boolean);
// Where the incremental file and the JSON report go: TEND_MUTATION_OUT (a directory), so that
// runs on different files (by different people in one checkout) neither overwrite each
// other's reports nor throw away each other's incremental results.
const out = process.env.TEND_MUTATION_OUT ?? '.stryker-tmp';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  tap: {
    testFiles,
    nodeArgs: ['--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
    forceBail: true,
  },
  coverageAnalysis: 'perTest',
  // Only sources are mutated; which ones is given on the command line (--mutate).
  mutate: [],
  ignorePatterns: ['dist', 'bench/results', '.scratch', 'reports'],
  concurrency: 1,
  timeoutMS: 20000,
  dryRunTimeoutMinutes: 20,
  incremental: true,
  incrementalFile: `${out}/incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: `${out}/mutation.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
