import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { propertiesLine } from '@k8sm/spec';
import test from 'ava';
import { CONTROL, oracleTest, PRINTABLE, refusedOrReadBack, refusesAll, runs } from './hostile.js';

const ZOO_CFG = '/etc/zookeeper/conf/zoo.cfg';

// The oracle is java.util.Properties itself, loaded from an InputStream (ISO-8859-1) as ZooKeeper's
// QuorumPeerConfig.parse does, run by the JDK's single-file source launcher (JEP 330).
const READER = `
import java.io.FileInputStream;
import java.util.Properties;
public class ReadProperties {
  public static void main(String[] args) throws Exception {
    for (String file : args) {
      Properties p = new Properties();
      try (FileInputStream in = new FileInputStream(file)) { p.load(in); }
      StringBuilder out = new StringBuilder(p.size() + "");
      for (String key : p.stringPropertyNames()) {
        out.append(' ');
        for (char c : (key + "=" + p.getProperty(key)).toCharArray()) out.append(String.format("%04x", (int) c));
      }
      System.out.println(out);
    }
  }
}
`;

/** Each file's properties as `key=value` strings, read by the JDK. */
function javaRead(files: readonly string[]): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'k8sm-properties-'));
  writeFileSync(join(dir, 'ReadProperties.java'), READER);
  const paths = files.map((content, i) => {
    const path = join(dir, `${i}.cfg`);
    writeFileSync(path, content, 'latin1');
    return path;
  });
  const run = spawnSync('java', [join(dir, 'ReadProperties.java'), ...paths], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout
    .trimEnd()
    .split('\n')
    .map((line) =>
      line
        .split(' ')
        .slice(1)
        .map((hex) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)))),
    );
}

/** One line per file, as ZooKeeper would write it after a comment line. */
const fileOf = (line: string) => `# generated\n${line}\n`;

const java = runs('java', '-version');

oracleTest(java)(
  'java.util.Properties reads back exactly one key with exactly the value, or the writer refuses it',
  (t) => {
    const values = [...CONTROL, ...PRINTABLE, ' leading', 'trailing '];
    refusedOrReadBack(
      t,
      ZOO_CFG,
      values,
      (value) => fileOf(propertiesLine(ZOO_CFG, 'dataDir', value)),
      (files) =>
        javaRead(files).map((props) =>
          props.length === 1 && props[0]?.startsWith('dataDir=') ? props[0].slice(8) : undefined,
        ),
      PRINTABLE,
    );
  },
);

oracleTest(java)('keys holding separators, comment marks and backslashes read back as themselves', (t) => {
  const keys = ['a=b', 'a:b', 'a b', '#a', '!a', 'a\\b', 'é'];
  const read = javaRead(keys.map((key) => fileOf(propertiesLine(ZOO_CFG, key, 'v'))));
  t.deepEqual(
    read,
    keys.map((key) => [`${key}=v`]),
  );
});

test('control characters and the whitespace ZooKeeper trims are refused', (t) => {
  refusesAll(t, ZOO_CFG, CONTROL, (v) => propertiesLine(ZOO_CFG, 'dataDir', v));
  refusesAll(t, ZOO_CFG, [' /data', '/data '], (v) => propertiesLine(ZOO_CFG, 'dataDir', v));
  const error = t.throws(() => propertiesLine(ZOO_CFG, 'dataDir', '/var/lib/zk\nskipACL=yes'));
  t.is(
    error?.message,
    '/etc/zookeeper/conf/zoo.cfg: the value of dataDir holds the control character U+000A, which would end the line and start another — remove it from the spec value that sets it',
  );
});

test('a plain value is written as it is, so existing zoo.cfg files keep their bytes', (t) => {
  t.is(propertiesLine(ZOO_CFG, 'server.1', '10.0.0.1:2888:3888'), 'server.1=10.0.0.1:2888:3888');
  t.is(propertiesLine(ZOO_CFG, '4lw.commands.whitelist', 'srvr,mntr'), '4lw.commands.whitelist=srvr,mntr');
  t.is(propertiesLine(ZOO_CFG, 'admin.enableServer', false), 'admin.enableServer=false');
});
