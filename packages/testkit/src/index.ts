export * from '@k8sm/testkit-fixtures';
export * from './artifacts.js';
export * from './plan.js';
export * from './sandbox.js';
export * from './script-sandbox.js';
export * from './service-runner.js';
