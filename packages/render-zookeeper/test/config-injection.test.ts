import { ConfigValueError } from '@k8sm/spec';
import { ensemble, fileOf, planOf } from '@k8sm/testkit';
import test from 'ava';
import { renderZookeeper } from '../src/index.js';

const base = planOf(
  ensemble({ name: 'zk-test', component: 'zookeeper', prefix: 'zk' }, { version: '3.8.4' }),
);

test('issue 13: a newline in zookeeper.dataDir cannot add `server.9=` and `skipACL=yes` to zoo.cfg', (t) => {
  const plan = structuredClone(base);
  const member = plan.zookeeper?.members[0];
  if (!member) throw new Error('no member');
  (member as { dataDir: string }).dataDir = '/var/lib/zk\nserver.9=10.9.9.9:2888:3888\nskipACL=yes';
  const error = t.throws(() => renderZookeeper(plan), { instanceOf: ConfigValueError });
  t.is(
    error?.message,
    '/etc/zookeeper/conf/zoo.cfg: the value of dataDir holds the control character U+000A, which would end the line and start another — remove it from the spec value that sets it',
  );
});

test('a backslash in a zoo.cfg value is escaped for java.util.Properties, the unit keeps its `%`', (t) => {
  const plan = structuredClone(base);
  const member = plan.zookeeper?.members[0];
  if (!member) throw new Error('no member');
  (member as { dataDir: string }).dataDir = '/data\\zk';
  const out = renderZookeeper(plan);
  t.regex(fileOf(out, member.host, '/etc/zookeeper/conf/zoo.cfg')?.content ?? '', /^dataDir=\/data\\\\zk$/m);
  const named = structuredClone(base);
  (named as { name: string }).name = '100%';
  const unit = fileOf(renderZookeeper(named), 'zk1', '/etc/systemd/system/zookeeper.service')?.content ?? '';
  t.regex(unit, /^Description=ZooKeeper 3\.8\.4, member \d of 100%%$/m);
});
