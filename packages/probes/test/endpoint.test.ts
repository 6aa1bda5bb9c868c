import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import test from 'ava';
import { EndpointError, probeEtcd, probeZookeeper, zookeeperEndpoint } from '../src/index.js';

test('a ZooKeeper member is named as --zk names it: host:port, [v6]:port, or its parts', (t) => {
  t.deepEqual(zookeeperEndpoint('10.16.40.1:2181'), { host: '10.16.40.1', port: 2181 });
  t.deepEqual(zookeeperEndpoint('zk1.example:2181'), { host: 'zk1.example', port: 2181 });
  t.deepEqual(zookeeperEndpoint('[fd00::1]:2181'), { host: 'fd00::1', port: 2181 });
  t.deepEqual(zookeeperEndpoint({ host: '127.0.0.1', port: 2181 }), { host: '127.0.0.1', port: 2181 });
  for (const bad of [
    '10.16.40.1',
    '10.16.40.1:',
    ':2181',
    '10.16.40.1:0',
    '10.16.40.1:65536',
    'http://zk:2181',
    'zk:21x',
  ])
    t.throws(() => zookeeperEndpoint(bad), { instanceOf: EndpointError, message: /host:port/ }, bad);
  t.throws(() => zookeeperEndpoint({ host: 'zk', port: 70_000 }), { instanceOf: EndpointError });
});

test('probeZookeeper takes the string form and asks the member it names', async (t) => {
  const words: string[] = [];
  const server = createServer((socket) => {
    socket.once('data', (data) => {
      words.push(data.toString());
      socket.end(
        'Zookeeper version: 3.8.0\nLatency min/avg/max: 0/0/0\nMode: standalone\nNode count: 5\nZxid: 0x200000000\n',
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.teardown(() => server.close());
  const { port } = server.address() as AddressInfo;
  const fromString = await probeZookeeper(`127.0.0.1:${port}`, { timeoutMs: 2_000 });
  const fromParts = await probeZookeeper({ host: '127.0.0.1', port }, { timeoutMs: 2_000 });
  t.true(fromString.ok, JSON.stringify(fromString));
  if (fromString.ok && fromParts.ok) t.is(fromString.mode, fromParts.mode);
  t.true(words.includes('srvr'));
  await t.throwsAsync(probeZookeeper('127.0.0.1'), { instanceOf: EndpointError });
});

test('the HTTP probes take the URL, as --etcd does, and a refused member is a typed result', async (t) => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  const r = await probeEtcd(`http://127.0.0.1:${port}`, { timeoutMs: 1_000 });
  t.false(r.ok);
  if (!r.ok) t.is(r.reason, 'refused');
});
