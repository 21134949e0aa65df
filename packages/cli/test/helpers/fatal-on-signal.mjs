// Preloaded into a CLI under test (NODE_OPTIONS=--import): SIGUSR2 makes the process fail as a
// bug would, with an uncaught exception, or with an unhandled rejection when
// SWITCHYARD_TEST_FATAL=rejection. Nothing in the CLI handles either: Node's default ends it.
process.on('SIGUSR2', () => {
  const error = new Error('fatal error for the test');
  if (process.env.SWITCHYARD_TEST_FATAL === 'rejection') void Promise.reject(error);
  else throw error;
});
