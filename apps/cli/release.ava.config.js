// The release test alone (`turbo run test:release`, after every other test): it packs and
// installs the whole workspace, so it neither runs beside the daemon tests nor in `ava`'s default set.
export default {
  files: ['dist/release-test/**/*.test.js'],
  timeout: '15m',
};
