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
