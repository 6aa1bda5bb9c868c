import test from 'ava';
import { bridgeSections, parseMarathonApps, parseMarathonTasksText, sectionName } from '../src/index.js';

test('the Mesosphere guide’s listener, from Marathon JSON instead of /v2/tasks text', (t) => {
  const body = JSON.stringify({
    apps: [
      {
        id: '/ubuntu-nginx',
        container: {
          docker: { image: 'feuyeux/ubuntu-nginx', portMappings: [{ containerPort: 80, servicePort: 80 }] },
        },
        tasks: [13, 12, 11].map((i) => ({ host: `10.16.40.${i}`, ports: [31000] })),
      },
    ],
  });
  const [section] = bridgeSections(parseMarathonApps(body).apps);
  t.is(
    section?.text,
    [
      'listen ubuntu-nginx-80',
      '    bind *:80',
      '    mode tcp',
      '    option tcplog',
      '    balance leastconn',
      '    server 10.16.40.11_31000 10.16.40.11:31000 check',
      '    server 10.16.40.12_31000 10.16.40.12:31000 check',
      '    server 10.16.40.13_31000 10.16.40.13:31000 check',
      '',
    ].join('\n'),
  );
});

test('service ports by Marathon version, and the text form gives the same apps', (t) => {
  const ports = (app: Record<string, unknown>) =>
    parseMarathonApps(JSON.stringify({ apps: [{ id: '/a', tasks: [], ...app }] })).apps[0]?.servicePorts;
  t.deepEqual(ports({ container: { portMappings: [{ servicePort: 10000 }] } }), [10000], '1.5+');
  t.deepEqual(
    ports({ container: { docker: { portMappings: [{ servicePort: 10001 }] } } }),
    [10001],
    'before 1.5',
  );
  t.deepEqual(ports({ portDefinitions: [{ port: 10002 }, { port: 10003 }] }), [10002, 10003]);
  t.deepEqual(ports({ ports: [10004] }), [10004], 'the oldest form');
  const text = parseMarathonTasksText(
    'web\t10000\t10.0.0.1:31001\t10.0.0.2:31002\t\nweb\t10001\t10.0.0.1:31003\t\n',
  );
  t.deepEqual(text.apps, [
    {
      id: 'web',
      servicePorts: [10000, 10001],
      tasks: [
        { host: '10.0.0.1', ports: [31001, 31003] },
        { host: '10.0.0.2', ports: [31002] },
      ],
    },
  ]);
  t.is(sectionName('/team/a b/web'), 'team_a_b_web');
  t.throws(() => parseMarathonApps('{"app": []}'), { message: /without an "apps" list/ });
});

// Shapes of real Marathon answers, after marathon-lb's tests (tests/test_utils.py,
// tests/marathon15_apps.json): what marathon-lb's utils.get_task_ip_and_ports returns is the oracle.
const tasksOf = (app: Record<string, unknown>, tasks: Record<string, unknown>[]) =>
  parseMarathonApps(JSON.stringify({ apps: [{ id: '/a', ...app, tasks }] }));

test('IP-per-task apps are reached on the task address at the container ports, as marathon-lb does', (t) => {
  const ipTask = {
    id: 't1',
    host: '10.0.2.148',
    ports: [],
    ipAddresses: [{ ipAddress: '1.2.3.4', protocol: 'IPv4' }],
  };
  // before 1.5: ipAddress.discovery ports (test_get_task_ip_and_ports_ip_per_task: ("1.2.3.4", [123, 234]))
  const discovery = tasksOf(
    {
      ipAddress: { discovery: { ports: [{ number: 123 }, { number: 234 }] } },
      portDefinitions: [{ port: 10000 }, { port: 10001 }],
    },
    [ipTask],
  );
  t.deepEqual(discovery.apps[0]?.tasks, [{ host: '1.2.3.4', ports: [123, 234] }]);
  // 1.3, docker network USER with port mappings: ("1.2.3.4", [80, 81])
  const user = tasksOf(
    {
      ipAddress: {},
      container: {
        type: 'DOCKER',
        docker: {
          network: 'USER',
          portMappings: [
            { containerPort: 80, servicePort: 10000 },
            { containerPort: 81, servicePort: 10001 },
          ],
        },
      },
    },
    [ipTask],
  );
  t.deepEqual(user.apps[0], {
    id: '/a',
    servicePorts: [10000, 10001],
    tasks: [{ host: '1.2.3.4', ports: [80, 81] }],
  });
  // 1.5 networks mode container: ("1.2.3.4", [80, 81]); a task without an address yet is left out
  const v15 = tasksOf(
    {
      container: {
        type: 'DOCKER',
        docker: { image: 'nginx' },
        portMappings: [
          { containerPort: 80, servicePort: 10000 },
          { containerPort: 81, servicePort: 10001 },
        ],
      },
      networks: [{ mode: 'container', name: 'dcos' }],
    },
    [ipTask, { id: 't2', host: '10.0.2.149', ports: [] }],
  );
  t.deepEqual(v15.apps[0]?.tasks, [{ host: '1.2.3.4', ports: [80, 81] }]);
  t.deepEqual(v15.notes, ['/a: task on 10.0.2.149 has no IP address of its own yet (IP-per-task), left out']);
  // 1.5 container/bridge (marathon15_apps.json's /pywebserver): the host at the task's host port
  const bridge = tasksOf(
    {
      container: { type: 'DOCKER', portMappings: [{ containerPort: 80, hostPort: 0, servicePort: 10101 }] },
      networks: [{ mode: 'container/bridge' }],
    },
    [
      {
        id: 't3',
        host: '10.0.2.148',
        ports: [1565],
        ipAddresses: [{ ipAddress: '172.17.0.2', protocol: 'IPv4' }],
      },
    ],
  );
  t.deepEqual(bridge.apps[0]?.tasks, [{ host: '10.0.2.148', ports: [1565] }]);
  const [section] = bridgeSections(v15.apps);
  t.regex(section?.text ?? '', /^ {4}server 1\.2\.3\.4_80 1\.2\.3\.4:80 check$/m);
});

test('a service port two apps claim gets one listener: the first app by id keeps it, the other is named', (t) => {
  const app = (id: string, ports: number[], host: string) => ({
    id,
    servicePorts: ports,
    tasks: [{ host, ports: ports.map((_, i) => 31000 + i) }],
  });
  const conflicts: string[] = [];
  const sections = bridgeSections(
    [app('/web', [10001, 10002], '10.0.0.2'), app('/api', [10001], '10.0.0.1')],
    conflicts,
  );
  t.deepEqual(
    sections.map((s) => [s.app, s.servicePort]),
    [
      ['/api', 10001],
      ['/web', 10002],
    ],
  );
  t.is(sections.filter((s) => s.text.includes('bind *:10001')).length, 1);
  t.deepEqual(conflicts, [
    "service port 10001 is claimed by /api and /web: /api (first by id) keeps it, /web's listener is left out; give /web another service port",
  ]);
  // the same outcome whatever order Marathon lists them in
  const again: string[] = [];
  t.deepEqual(
    bridgeSections([app('/api', [10001], '10.0.0.1'), app('/web', [10001, 10002], '10.0.0.2')], again).map(
      (s) => s.text,
    ),
    sections.map((s) => s.text),
  );
  t.deepEqual(again, conflicts);
});
