export { CHECK_DEFINITIONS, CHECKS, type CheckId, type CheckInfo, checkSpec } from './checks/registry.js';
export { checksMarkdownTable, withChecksTable } from './checks/table.js';
export { applyWaivers, type Waiver } from './checks/waivers.js';
