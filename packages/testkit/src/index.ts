export * from '@k8sm/testkit-fixtures';
export * from './artifacts.js';
export * from './etcd-bootstrap.js';
export * from './plan.js';
export * from './sandbox.js';
export * from './script-sandbox.js';
export * from './systemd-exec.js';
