// yamlBlock writes the bytes the yaml library writes, or declines: the yaml library is the oracle.
import { plainYamlScalar, yamlBlock } from '@k8sm/spec';
import test from 'ava';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';

const library = (value: unknown) => stringify(value, { lineWidth: 0 });
const written = (value: unknown) => yamlBlock(value, plainYamlScalar) ?? library(value);

// what makes YAML quote or read a scalar as something else, beside what it writes plain
const CHARS = [...'aZ09._/:=@+-~ #\'"\n\t[]{},!&*?|>%`\\xeEoO', 'é', '\u2028'];
const WORDS = [
  'true',
  'False',
  'NULL',
  'null',
  '~',
  '',
  'yes',
  'on',
  '0x1F',
  '0o17',
  '017',
  '1e5',
  '-1',
  '+1',
];
const MORE = ['.inf', '-.Inf', '.NaN', '1.0', '.5', '10.96.0.10', 'https://10.0.0.1:6443', 'system:node:n1'];
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 12 }),
  fc.constantFrom(...WORDS, ...MORE, 'a:', ':a', '-a', '?a', 'a b', 'LS0tLS1CRUdJTi'.repeat(300)),
);
const keyText = fc.oneof(
  text,
  fc.constantFrom('apiVersion', 'client-key-data', 'x_y', 'On', 'n', 'a1', '1a'),
);
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('tree'), { maxLength: 4 }),
  map: fc.dictionary(keyText, tie('tree'), { maxKeys: 4 }),
}));

test('yamlBlock writes what the yaml library writes, byte for byte, or declines', (t) => {
  fc.assert(
    fc.property(tree, (value) => written(value) === library(value)),
    { numRuns: 5000 },
  );
  // an object met twice is the library's anchor and alias: declined
  const shared = { a: 1 };
  t.is(yamlBlock({ x: shared, y: shared }, plainYamlScalar), undefined);
  t.is(written({ x: shared, y: [shared] }), library({ x: shared, y: [shared] }));
});

test('a kubeconfig and a KubeletConfiguration take the direct path and read back the same', (t) => {
  const b64 = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString(
    'base64',
  );
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'prod', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': b64 } },
    ],
    users: [{ name: 'system:node:node5', user: { 'client-certificate-data': b64, 'client-key-data': b64 } }],
    contexts: [{ name: 'default', context: { cluster: 'prod', user: 'system:node:node5' } }],
    'current-context': 'default',
  };
  const kubelet = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: '/a.crt' },
    },
    clusterDNS: ['10.96.0.10'],
    rotateCertificates: false,
    evictionHard: {},
    tlsCipherSuites: [],
  };
  for (const value of [kubeconfig, kubelet]) {
    const direct = yamlBlock(value, plainYamlScalar);
    t.is(direct, library(value));
    t.deepEqual(parse(direct ?? ''), value);
  }
});
