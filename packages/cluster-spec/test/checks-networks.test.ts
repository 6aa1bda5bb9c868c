import test from 'ava';
import { checks, find, k8s, load, paths } from './helpers.js';

// address ranges --------------------------------------------------------------------------------------

test('a pod range with host bits set is reported with the range it means', (t) => {
  const report = load(k8s({}, ['10.0.1.1/24', '10.0.2.0/24']));
  t.deepEqual(checks(report), ['cidr-host-bits']);
  const f = find(report, 'cidr-host-bits')[0];
  t.deepEqual(f?.path, ['hosts', 1, 'kubernetes', 'podCidr']);
  t.is(f?.fix, 'write 10.0.1.0/24');
});

test('a service range with host bits set is reported at its key', (t) => {
  const f = find(load(k8s({ serviceClusterIpRange: '10.254.3.0/16' })), 'cidr-host-bits')[0];
  t.deepEqual(f?.path, ['kubernetes', 'serviceClusterIpRange']);
  t.is(f?.fix, 'write 10.254.0.0/16');
});

test('overlapping node pod ranges are reported', (t) => {
  for (const podCidrs of [
    ['10.0.1.0/24', '10.0.1.0/24'],
    ['10.0.1.0/24', '10.0.1.128/25'],
    ['10.0.1.128/25', '10.0.0.0/16'],
  ]) {
    const report = load(k8s({}, podCidrs));
    t.deepEqual(checks(report), ['cidr-overlap'], podCidrs.join(' '));
    t.regex(
      report.findings[0]?.message ?? '',
      /the pod range of host "n\d" .* overlaps the pod range of host "n\d"/,
    );
  }
});

test('adjacent pod ranges do not overlap', (t) => {
  t.deepEqual(load(k8s({}, ['10.0.1.0/25', '10.0.1.128/25'])).findings, []);
});

test('a pod range inside the service range is reported', (t) => {
  const report = load(k8s({ serviceClusterIpRange: '10.0.0.0/16' }));
  t.deepEqual(paths(report, 'cidr-overlap'), ['hosts.1.kubernetes.podCidr', 'hosts.2.kubernetes.podCidr']);
  t.regex(report.findings[0]?.message ?? '', /overlaps the service range 10\.0\.0\.0\/16/);
});

test('a host address inside the service range is reported at the host', (t) => {
  const report = load(k8s({ serviceClusterIpRange: '192.168.0.0/28' }));
  t.deepEqual(paths(report, 'cidr-overlap'), ['hosts.0.address', 'hosts.1.address', 'hosts.2.address']);
  t.regex(
    report.findings[0]?.message ?? '',
    /host "master" \(192\.168\.0\.7\) lies inside the service range/,
  );
  const narrow = load(k8s({ serviceClusterIpRange: '192.168.0.8/29' }));
  t.deepEqual(paths(narrow, 'cidr-overlap'), ['hosts.1.address', 'hosts.2.address'], '.7 is outside .8/29');
});

test('a pod range outside the cluster pod range is reported', (t) => {
  const report = load(k8s({ clusterCidr: '10.0.0.0/23' }));
  t.deepEqual(checks(report), ['pod-cidr-outside'], 'a range outside another overlaps nothing');
  t.deepEqual(paths(report, 'pod-cidr-outside'), ['hosts.2.kubernetes.podCidr']);
  t.regex(
    report.findings[0]?.message ?? '',
    /10\.0\.2\.0\/24 is outside the cluster pod range 10\.0\.0\.0\/23/,
  );
});

test('pod ranges inside the cluster pod range are fine', (t) => {
  const report = load(k8s({ clusterCidr: '10.0.0.0/16' }));
  t.deepEqual(report.findings, []);
  t.is(report.plan?.kubernetes?.clusterCidr, '10.0.0.0/16');
});

test('a cluster pod range overlapping the service range is reported', (t) => {
  const report = load(k8s({ clusterCidr: '10.0.0.0/8' }));
  t.deepEqual(paths(report, 'cidr-overlap'), ['kubernetes.serviceClusterIpRange']);
});

test('the cluster DNS address must be a usable service address', (t) => {
  t.deepEqual(load(k8s({ clusterDns: '10.254.0.10' })).findings, []);
  const cases: [string, RegExp][] = [
    ['10.99.0.10', /outside the service range 10\.254\.0\.0\/16/],
    ['10.254.0.1', /first service address/],
    ['10.254.0.0', /network or broadcast address/],
    ['10.254.255.255', /network or broadcast address/],
  ];
  for (const [clusterDns, message] of cases) {
    const report = load(k8s({ clusterDns }));
    t.deepEqual(paths(report, 'cluster-dns'), ['kubernetes.clusterDns'], clusterDns);
    t.regex(report.findings[0]?.message ?? '', message);
  }
});
