import test from 'ava';
import { fail, probeHaproxyStats, redactUrl } from '../src/index.js';

test('the password in a URL’s userinfo is masked, the rest is kept', (t) => {
  t.is(redactUrl('http://admin:s3cret@10.0.0.1:9000/stats'), 'http://admin:***@10.0.0.1:9000/stats');
  t.is(
    redactUrl('GET https://u:p%40ss@a:1/x failed, then http://v:w@b/ too'),
    'GET https://u:***@a:1/x failed, then http://v:***@b/ too',
  );
  for (const plain of ['http://10.0.0.1:9000/stats', 'http://admin@lb/stats', '10.0.0.1:2181', 'a:b@c'])
    t.is(redactUrl(plain), plain);
});

test('every failure message is masked, whoever builds it', (t) => {
  t.is(
    fail('refused', 'GET http://admin:s3cret@lb:9000/;csv: connection refused').message,
    'GET http://admin:***@lb:9000/;csv: connection refused',
  );
});

test('a stats URL with credentials that cannot be reached names the URL without its password', async (t) => {
  // port 9 on loopback: nothing listens there, so the probe fails at once with a message naming the URL
  const r = await probeHaproxyStats('http://admin:s3cret@127.0.0.1:9/stats', { timeoutMs: 5000 });
  t.false(r.ok);
  if (r.ok) return;
  t.notRegex(r.message, /s3cret/);
  t.regex(r.message, /admin:\*\*\*@127\.0\.0\.1:9/);
});
