import { type MarathonApp, planMarathonApp } from '@k8sm/spec';
import test from 'ava';
import { marathonAppFile, marathonAppJson } from '../src/index.js';

/** The app file of a spec app: Marathon's defaults come from the plan. */
const appJson = (app: MarathonApp, version: string) => marathonAppJson(planMarathonApp(app), version);

const nginx: MarathonApp = {
  id: '/web/nginx',
  cpus: 0.25,
  mem: 256,
  instances: 2,
  docker: { image: 'nginx:1.27', portMappings: [{ containerPort: 80, servicePort: 10080 }] },
  healthChecks: [{ protocol: 'HTTP', gracePeriodSeconds: 30 }],
};

test('Marathon before 1.5 takes port mappings and the network under container.docker', (t) => {
  t.deepEqual(appJson(nginx, '0.15.0'), {
    id: '/web/nginx',
    cpus: 0.25,
    mem: 256,
    instances: 2,
    healthChecks: [{ protocol: 'HTTP', portIndex: 0, path: '/', gracePeriodSeconds: 30 }],
    container: {
      type: 'DOCKER',
      docker: {
        image: 'nginx:1.27',
        network: 'BRIDGE',
        portMappings: [{ containerPort: 80, hostPort: 0, servicePort: 10080, protocol: 'tcp' }],
      },
    },
  });
});

test('Marathon 1.5+ takes them under container and networks', (t) => {
  const body = appJson(nginx, '1.11.24');
  t.deepEqual(body.container, {
    type: 'DOCKER',
    docker: { image: 'nginx:1.27' },
    portMappings: [{ containerPort: 80, hostPort: 0, servicePort: 10080, protocol: 'tcp' }],
  });
  t.deepEqual(body.networks, [{ mode: 'container/bridge' }]);
  const host = appJson({ ...nginx, docker: { image: 'nginx', network: 'host' } }, '1.11.24');
  t.deepEqual(host.networks, [{ mode: 'host' }]);
});

test('command apps and COMMAND health checks', (t) => {
  const body = appJson(
    {
      id: '/hello',
      cmd: 'echo hello world; sleep 30',
      cpus: 0.1,
      mem: 2,
      healthChecks: [{ protocol: 'COMMAND', command: 'true' }],
    },
    '0.15.0',
  );
  t.deepEqual(body, {
    id: '/hello',
    cmd: 'echo hello world; sleep 30',
    cpus: 0.1,
    mem: 2,
    instances: 1,
    healthChecks: [{ protocol: 'COMMAND', command: { value: 'true' } }],
  });
});

test('app file names are unambiguous', (t) => {
  t.is(marathonAppFile('/web/nginx'), 'web_nginx.json');
  t.is(marathonAppFile('/web.nginx'), 'web.nginx.json');
});
