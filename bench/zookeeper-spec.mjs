// The spec both probe benchmarks use: one ZooKeeper member per loopback address, all on the fake
// four-letter-word server's port (an even count is waived: a benchmark, not an ensemble).
export function zookeeperSpec(addresses, port) {
  return {
    name: 'bench',
    hosts: addresses.map((address, i) => ({
      name: `zk${i + 1}`,
      address,
      roles: ['zookeeper'],
      zookeeper: { clientPort: port },
    })),
    zookeeper: { version: '3.8.0' },
    ...(addresses.length % 2 === 0 ? { waive: { 'even-ensemble': 'a benchmark, not an ensemble' } } : {}),
  };
}
