export * from './artifacts.js';
export * from './fixtures.js';
export * from './plan.js';
