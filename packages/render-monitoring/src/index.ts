export { ALERT_RULES, type AlertRule } from './alerts.js';
export { grafanaDashboard, PANELS } from './dashboard.js';
export { renderAlertRules, renderMonitoring, renderPrometheusConfig } from './monitoring.js';
export { renderTopology } from './topology.js';
