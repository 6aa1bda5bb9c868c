import { ConfigValueError } from '@k8sm/spec';
import { examplePlan, filesOf } from '@k8sm/testkit';
import test from 'ava';
import { renderMesos } from '../src/index.js';

const base = examplePlan('mesosphere-3-masters.json');

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type Agent = Mutable<NonNullable<typeof base.mesos>['agents'][number]>;

/** The plan with values in its first agent that the schema would refuse: the writers are the last line behind it. */
function withAgent(change: Partial<Agent>) {
  const plan = structuredClone(base);
  const agent = plan.mesos?.agents[0];
  if (!agent) throw new Error('no agent');
  Object.assign(agent, change);
  return plan;
}

test('issue 13: a newline in a Mesos flag file is refused, naming the file and the flag', (t) => {
  const plan = withAgent({ workDir: '/var/lib/mesos\n--no-logger' });
  const error = t.throws(() => renderMesos(plan), { instanceOf: ConfigValueError });
  t.regex(
    error?.message ?? '',
    /^\/etc\/mesos-slave\/work_dir: the value of --work_dir holds the control character U\+000A/,
  );
});

test('issue 13: an agent attribute cannot add another attribute through `;` or a newline', (t) => {
  for (const rack of ['r1;evil:yes', 'r1\nevil:yes'])
    t.throws(() => renderMesos(withAgent({ attributes: { rack } })), {
      instanceOf: ConfigValueError,
      message: /^\/etc\/mesos-slave\/attributes\/rack: the value of --attributes rack holds/,
    });
  t.throws(() => renderMesos(withAgent({ attributes: { '../../mesos-master/quorum': '1' } })), {
    instanceOf: ConfigValueError,
  });
});

test('a plain attribute is written as it is: `<key>` file, the value and one newline', (t) => {
  const out = renderMesos(withAgent({ attributes: { rack: 'r1:a' } }));
  const host = base.mesos?.agents[0]?.host ?? '';
  t.is(filesOf(out, host)['/etc/mesos-slave/attributes/rack'], 'r1:a\n');
});
