import net from 'node:net';
import test from 'ava';
import { checks, find, host, load, paths, show, threeMasters } from './helpers.js';

// Member addresses that no peer can connect to, and what the real consumer — the kernel's TCP
// connect(), through node:net — does with them.

/** connect() to host:port: "connected to <local address>" or the error code. */
function connectTo(address: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, 3000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(`connected to ${socket.remoteAddress}`);
      socket.destroy();
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(e.code ?? e.message);
    });
  });
}

/** A listener on 127.0.0.1 at a free port, closed after `body`. */
async function withListener<T>(body: (port: number) => Promise<T>): Promise<T> {
  const server = net.createServer((c) => c.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await body((server.address() as net.AddressInfo).port);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

test('connect() to 0.0.0.0 reaches the connecting machine itself, not a member', async (t) => {
  // a peer told "the member is at 0.0.0.0" talks to its own listener: here the one on 127.0.0.1
  t.is(await withListener((port) => connectTo('0.0.0.0', port)), 'connected to 127.0.0.1');
});

test('connect() to a broadcast or multicast address fails, where a host of the same network is reached', async (t) => {
  const codes = await withListener(async (port) => ({
    // 127.0.0.0/8 is lo's network: .255.255.255 its broadcast, .255.255.254 an ordinary address of it
    broadcastOfNetwork: await connectTo('127.255.255.255', port),
    hostOfNetwork: await connectTo('127.255.255.254', port),
    limitedBroadcast: await connectTo('255.255.255.255', port),
    multicast: await connectTo('224.0.0.1', port),
  }));
  // Linux tcp_v4_connect refuses a route flagged RTCF_BROADCAST or RTCF_MULTICAST with ENETUNREACH
  t.is(codes.broadcastOfNetwork, 'ENETUNREACH');
  t.is(
    codes.hostOfNetwork,
    'ECONNREFUSED',
    'an ordinary address of the same network is routed (nobody listens)',
  );
  t.is(codes.limitedBroadcast, 'ENETUNREACH');
  t.is(codes.multicast, 'ENETUNREACH');
});

test('0.0.0.0, broadcast and multicast member addresses are errors at hosts[i].address', (t) => {
  const spec = threeMasters();
  host(spec, 0).address = '0.0.0.0';
  host(spec, 1).address = '255.255.255.255';
  host(spec, 2).address = '239.1.2.3';
  const report = load(spec);
  t.deepEqual(paths(report, 'unusable-address'), ['hosts.0.address', 'hosts.1.address', 'hosts.2.address']);
  const [any, broadcast, multicast] = find(report, 'unusable-address');
  t.regex(any?.message ?? '', /0\.0\.0\.0 is the unspecified address/);
  t.regex(broadcast?.message ?? '', /limited broadcast/);
  t.regex(multicast?.message ?? '', /multicast/);
  t.is(any?.fix, 'write the address the host is reached at from the other hosts');
  t.falsy(report.plan);
});

test('with hostNetwork, its network and broadcast addresses are refused; /31 has neither', (t) => {
  const spec = { ...threeMasters(), hostNetwork: '10.16.40.0/24' };
  host(spec, 0).address = '10.16.40.255';
  host(spec, 1).address = '10.16.40.0';
  const report = load(spec);
  t.deepEqual(paths(report, 'unusable-address'), ['hosts.0.address', 'hosts.1.address']);
  t.regex(
    find(report, 'unusable-address')[0]?.message ?? '',
    /broadcast address of hostNetwork 10\.16\.40\.0\/24/,
  );
  t.regex(find(report, 'unusable-address')[0]?.fix ?? '', /between 10\.16\.40\.1 and 10\.16\.40\.254/);
  t.deepEqual(find(load({ ...threeMasters(), hostNetwork: '10.16.40.0/24' }), 'unusable-address'), []);
  const pointToPoint = { ...threeMasters(), hostNetwork: '10.16.40.0/31' };
  host(pointToPoint, 0).address = '10.16.40.0';
  t.deepEqual(find(load(pointToPoint), 'unusable-address'), [], 'RFC 3021');
});

test('127.0.0.1 as one member of a 3-member ensemble on other machines is an error', (t) => {
  const spec = threeMasters();
  host(spec, 2).address = '127.0.0.1';
  const report = load(spec);
  t.deepEqual(paths(report, 'loopback-mix'), ['hosts.2.address'], show(report));
  const f = find(report, 'loopback-mix')[0];
  t.regex(
    f?.message ?? '',
    /host "m3" \(127\.0\.0\.1\) is loopback, but its zookeeper peers "m1" \(10\.16\.40\.1\), "m2" \(10\.16\.40\.2\)/,
  );
  t.regex(f?.fix ?? '', /127\.0\.0\.0\/8 for a one-machine cluster/);
  t.falsy(report.plan);
});

test('a loopback agent beside masters on other machines is an error too', (t) => {
  const spec = threeMasters();
  host(spec, 3).address = '127.0.0.11';
  t.deepEqual(paths(load(spec), 'loopback-mix'), ['hosts.3.address']);
});

test('a whole cluster on 127.0.0.0/8 (one machine, as the tests run it) stays valid', (t) => {
  const spec = threeMasters();
  spec.hosts.forEach((h, i) => {
    h.address = `127.0.40.${i + 1}`;
  });
  const report = load(spec);
  t.deepEqual(checks(report, 'error'), [], show(report));
  t.truthy(report.plan);
});

test('an haproxy host with only Marathon behind it is warned that it gets nothing rendered', (t) => {
  const spec = {
    ...threeMasters(),
    haproxy: { version: '2.6' },
  };
  spec.hosts.push({ name: 'lb', address: '10.16.40.20', roles: ['haproxy'] });
  const report = load(spec);
  t.deepEqual(checks(report), ['haproxy-unrendered'], show(report));
  const f = find(report, 'haproxy-unrendered')[0];
  t.is(f?.severity, 'warning');
  t.deepEqual(f?.path, ['haproxy']);
  t.regex(f?.message ?? '', /"lb" get no haproxy\.cfg and an empty script/);
  t.regex(f?.fix ?? '', /k8sm-render bridge --marathon/);
  // what the HAProxy renderer reads: no apiservers, so it renders nothing (render-haproxy index.ts)
  t.deepEqual(report.plan?.haproxy?.apiservers, []);
});
