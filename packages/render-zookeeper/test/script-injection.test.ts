import { ensemble, hostScripts, planOf, scriptInjectionProblems, writableCopy } from '@k8sm/testkit';
import test from 'ava';
import { renderZookeeper } from '../src/index.js';

// The spec's grammar refuses these values in paths and images; the renderer must not need it to.
const plan = (runtime: string) =>
  planOf(ensemble({ name: 'zk-test', component: 'zookeeper', prefix: 'zk' }, { version: '3.8.4', runtime }));

for (const runtime of ['package', 'docker'])
  test(`${runtime}: payloads in the data dirs, addresses and image reach the commands as words and never run`, (t) => {
    const render = (payload: string) => {
      const p = writableCopy(plan(runtime));
      const zk = p.zookeeper;
      if (!zk) throw new Error('no zookeeper in the plan');
      zk.image = `zookeeper${payload}`;
      for (const m of zk.members) {
        m.dataDir = `/var/lib/zk${payload}`;
        m.dataLogDir = `/var/log/zk ${payload}`;
        m.address = payload;
      }
      return renderZookeeper(p);
    };
    t.deepEqual(scriptInjectionProblems(render, hostScripts('zk1')), []);
  });
