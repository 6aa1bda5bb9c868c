// What require() loads on a Node that cannot require an ES module (before 20.19 and 22.12):
// a clear error instead of ERR_PACKAGE_PATH_NOT_EXPORTED. Newer Node takes "module-sync".
const { name } = require('./package.json');
throw new Error(
  `${name} is an ES module and this Node cannot require() it: use import, or await import('${name}') from CommonJS, or Node >= 20.19 / 22.12, whose require() loads it`,
);
