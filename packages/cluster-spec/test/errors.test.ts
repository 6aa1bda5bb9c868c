import test from 'ava';
import * as first from '../src/errors.js';

// A second copy of the module, as when two versions of @k8sm/spec sit in one node_modules, or
// the CLI bundle meets the workspace package: same file, another URL, another module instance.
const second: typeof first = await import(new URL('../src/errors.js?copy=2', import.meta.url).href);

test('the second copy really is another module: its classes are other objects', (t) => {
  t.not(second.K8smError, first.K8smError);
  t.not(second.MissingPkiFileError, first.MissingPkiFileError);
});

test('instanceof holds across the two copies, both ways, for the base and the class', (t) => {
  for (const [made, other] of [
    [first, second],
    [second, first],
  ] as const) {
    const error = new made.MissingPkiFileError('etcd/ca.crt');
    t.true(error instanceof other.MissingPkiFileError);
    t.true(error instanceof other.K8smError);
    t.true(error instanceof Error);
    t.false(error instanceof other.SpecSyntaxError, 'another class of the other copy');
    t.false(error instanceof other.ArtifactPathError);
  }
});

test('a plain Error passes no instanceof, even with the message, name and code of one', (t) => {
  const error = new first.MissingPkiFileError('etcd/ca.crt');
  const plain = Object.assign(new Error(error.message), { name: error.name, code: error.code });
  for (const copy of [first, second]) {
    t.false(plain instanceof copy.MissingPkiFileError);
    t.false(plain instanceof copy.K8smError);
  }
  const others: unknown[] = [null, undefined, 'K8SM_PKI_MISSING', { code: 'K8SM_PKI_MISSING' }];
  for (const other of others) t.false(other instanceof first.K8smError);
});

test('a base error given a subclass code is not an instance of that subclass', (t) => {
  const error = new first.K8smError('K8SM_PKI_MISSING', 'the PKI dir has no etcd/ca.crt');
  t.true(error instanceof second.K8smError);
  t.false(error instanceof second.MissingPkiFileError);
  t.false(error instanceof first.MissingPkiFileError);
});

test('a class extending a k8sm error is an instance of its parent in either copy', (t) => {
  class EtcdCaMissing extends first.MissingPkiFileError {
    static override readonly code: string = 'K8SM_TEST_ETCD_CA';
  }
  const error = new EtcdCaMissing('etcd/ca.crt');
  t.true(error instanceof EtcdCaMissing);
  t.true(error instanceof second.MissingPkiFileError);
  t.true(error instanceof second.K8smError);
  t.false(new second.MissingPkiFileError('etcd/ca.crt') instanceof EtcdCaMissing, 'not the other way');
});
