import { ensemble, hostScripts, planOf, scriptInjectionProblems, writableCopy } from '@k8sm/testkit';
import test from 'ava';
import { renderEtcd } from '../src/index.js';

// etcd.token is free text in the spec; the data dir and the image are also written hostile here,
// past the grammar that refuses them, because the renderer must not depend on it.
for (const [runtime, version] of [
  ['docker', '3.5.17'],
  ['docker', '2.2.1'],
  ['package', '3.5.17'],
])
  test(`${runtime} ${version}: payloads in the token, data dir, cluster and image reach the commands as words and never run`, (t) => {
    const base = planOf(
      ensemble({ name: 'etcd-test', component: 'etcd', prefix: 'e' }, { version, runtime, token: 'seed' }),
    );
    const render = (payload: string) => {
      const p = writableCopy(base);
      const etcd = p.etcd;
      if (!etcd) throw new Error('no etcd in the plan');
      etcd.token = payload;
      etcd.image = `quay.io/coreos/etcd${payload}`;
      etcd.initialCluster = `e1=${payload}`;
      for (const m of etcd.members) m.dataDir = `/var/lib/etcd ${payload}`;
      return renderEtcd(p);
    };
    t.deepEqual(scriptInjectionProblems(render, hostScripts('e1')), []);
  });
