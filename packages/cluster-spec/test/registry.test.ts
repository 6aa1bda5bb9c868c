import test from 'ava';
import { ANSIBLE_STAGES, COMPONENT_OF_ROLE, COMPONENT_REGISTRY, COMPONENTS, ROLES } from '../src/index.js';

const entries = COMPONENTS.map((c) => [c, COMPONENT_REGISTRY[c]] as const);

test('the components’ roles, in COMPONENTS order, are ROLES: each role belongs to one component', (t) => {
  t.deepEqual(
    entries.flatMap(([, e]) => e.roles),
    [...ROLES],
  );
  t.is(COMPONENT_OF_ROLE['mesos-agent'], 'mesos');
  t.is(COMPONENT_OF_ROLE['k8s-node'], 'kubernetes');
});

test('every role has exactly one Ansible play, numbered 1..n without gaps', (t) => {
  for (const [c, e] of entries)
    t.deepEqual(
      e.ansible.map((s) => s.role),
      [...e.roles],
      `${c}: one stage per role`,
    );
  t.deepEqual(
    ANSIBLE_STAGES.map((s) => s.play),
    ROLES.map((_, i) => i + 1),
  );
});

test('quorum members are changed one at a time before any batch of agents or nodes', (t) => {
  const firstBatch = ANSIBLE_STAGES.findIndex((s) => s.serial === 'batch');
  t.true(firstBatch > 0);
  t.true(ANSIBLE_STAGES.slice(firstBatch).every((s) => s.serial === 'batch'));
  t.deepEqual(
    ANSIBLE_STAGES.filter((s) => s.serial === 'batch').map((s) => s.role),
    ['mesos-agent', 'k8s-node'],
  );
});

test('step-order bands do not overlap and rise in COMPONENTS order', (t) => {
  const bands = entries.map(([, e]) => e.steps);
  for (const b of bands) t.true(b.from <= b.to);
  for (let i = 1; i < bands.length; i++)
    t.true(
      (bands[i - 1]?.to ?? 0) < (bands[i]?.from ?? 0),
      `${COMPONENTS[i - 1]} ends before ${COMPONENTS[i]}`,
    );
});

test('every component names the services it runs and a probe system', (t) => {
  for (const [c, e] of entries) {
    t.true(e.services.length > 0, c);
    t.truthy(e.probe, c);
  }
  t.is(COMPONENT_REGISTRY.kubernetes.probe, 'apiserver');
});
