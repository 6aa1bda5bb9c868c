import {
  type Artifact,
  type ClusterPlan,
  type CommandArtifact,
  enableServices,
  type FileArtifact,
  generatedHeader,
  type InDocker,
  propertiesLine,
  reloadServiceDefinitions,
  renderTemplate,
  restartServices,
  type ShellLine,
  sh,
  shComment,
  shContinued,
  shLines,
  systemdExec,
  systemdValue,
  versionAtLeast,
  ZOOKEEPER_PACKAGE,
  type ZookeeperMember,
  type ZookeeperPlan,
} from '@k8sm/spec';
import { ZOOKEEPER_UNIT } from './templates.js';
import { ZOOKEEPER_JOB_PATH, zookeeperJob } from './upstart.js';

/** The part of the cluster plan this renderer reads; it derives nothing else. */
export type ZookeeperPlanSlice = Pick<ClusterPlan, 'name' | 'zookeeper'>;

export const ZOOKEEPER_CONF_DIR = '/etc/zookeeper/conf';
const UNIT_PATH = '/etc/systemd/system/zookeeper.service';

/** Every file and command of the ZooKeeper ensemble, for every member host. */
export function renderZookeeper(slice: ZookeeperPlanSlice): Artifact[] {
  const zk = slice.zookeeper;
  if (!zk) return [];
  return zk.members.flatMap((member) =>
    zk.runtime === 'docker'
      ? renderDockerMember(slice.name, zk, member)
      : renderPackageMember(slice.name, zk, member),
  );
}

/** zoo.cfg of one member: the same ensemble everywhere, this member's own ports and directories. */
export function renderZooCfg(specName: string, zk: ZookeeperPlan, member: ZookeeperMember): string {
  const zooCfg = `${ZOOKEEPER_CONF_DIR}/zoo.cfg`;
  const entries: [string, string | number | boolean][] = [
    ['tickTime', zk.tickTime],
    ['initLimit', zk.initLimit],
    ['syncLimit', zk.syncLimit],
    ['dataDir', member.dataDir],
    ...(member.dataLogDir ? [['dataLogDir', member.dataLogDir] as [string, string]] : []),
    ['clientPort', member.clientPort],
    ...(member.clientPortAddress
      ? [['clientPortAddress', member.clientPortAddress] as [string, string]]
      : []),
    ['maxClientCnxns', zk.maxClientCnxns],
    ['autopurge.snapRetainCount', zk.autopurge.snapRetainCount],
    ['autopurge.purgeInterval', zk.autopurge.purgeInterval],
  ];
  // 4lw.commands.whitelist exists from 3.4.10 (ZOOKEEPER-2693); from 3.5.3 only srvr is
  // answered without it, so the words k8sm-probe sends are listed explicitly.
  if (versionAtLeast(zk.version, '3.4.10'))
    entries.push(['4lw.commands.whitelist', zk.fourLetterWords.join(',')]);
  // The AdminServer (3.5+) is written out either way, so its port is known and checkable.
  if (versionAtLeast(zk.version, '3.5')) {
    entries.push(['admin.enableServer', member.adminServer.enabled]);
    if (member.adminServer.enabled) {
      entries.push(['admin.serverPort', member.adminServer.port]);
      if (member.adminServer.address) entries.push(['admin.serverAddress', member.adminServer.address]);
    }
  }
  for (const m of zk.members)
    entries.push([`server.${m.id}`, `${m.address}:${m.peerPort}:${m.electionPort}`]);
  const lines = [
    generatedHeader(specName),
    `# ZooKeeper ${zk.version}, member ${member.id} of ${zk.members.length} (${zk.quorum.majority} needed for quorum)`,
    ...entries.map(([key, value]) => propertiesLine(zooCfg, key, value)),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * ExecStart of the unit, as words: sh sources the package's environment file, as its own init
 * script does, and runs java with that file's CLASSPATH (plus the logging jars the plan adds), the
 * package's log dir and a console root logger (stdout: the journal).
 */
export function zookeeperArgv(zk: ZookeeperPlan, configPath = `${ZOOKEEPER_CONF_DIR}/zoo.cfg`): string[] {
  const P = ZOOKEEPER_PACKAGE;
  const java = [
    `-Dzookeeper.log.dir=${P.logDir}`,
    `-Dzookeeper.root.logger=${P.rootLogger}`,
    P.mainClass,
    configPath,
  ];
  const script =
    zk.loggingJars.length > 0
      ? sh`. ${P.environmentFile} && exec "$JAVA" -cp "$CLASSPATH":${zk.loggingJars.join(':')} ${java}`
      : sh`. ${P.environmentFile} && exec "$JAVA" -cp "$CLASSPATH" ${java}`;
  return ['/bin/sh', '-c', script];
}

function renderPackageMember(specName: string, zk: ZookeeperPlan, m: ZookeeperMember): Artifact[] {
  const file = (path: string, content: string, mode = 0o644): FileArtifact => ({
    kind: 'file',
    host: m.host,
    path,
    mode,
    content,
    component: 'zookeeper',
  });
  const step = (order: number, command: ShellLine): CommandArtifact => ({
    kind: 'command',
    host: m.host,
    order,
    command,
    component: 'zookeeper',
  });
  const description = `ZooKeeper ${zk.version}, member ${m.id} of ${specName}`;
  const service =
    m.initSystem === 'upstart'
      ? file(ZOOKEEPER_JOB_PATH, zookeeperJob(generatedHeader(specName), description, zookeeperArgv(zk)))
      : file(
          UNIT_PATH,
          renderTemplate(ZOOKEEPER_UNIT, {
            header: generatedHeader(specName),
            description: systemdValue(UNIT_PATH, 'Description', description),
            command: systemdExec(UNIT_PATH, 'ExecStart', zookeeperArgv(zk)),
          }),
        );
  const dirs = [m.dataDir, ...(m.dataLogDir ? [m.dataLogDir] : [])];
  return [
    file(`${ZOOKEEPER_CONF_DIR}/zoo.cfg`, renderZooCfg(specName, zk, m)),
    // myid holds the number alone: ZooKeeper reads the whole file as the id.
    file(`${m.dataDir}/myid`, `${m.id}\n`),
    service,
    step(100, sh`install -d -o zookeeper -g zookeeper -m 0750 ${dirs} /var/log/zookeeper`),
    step(101, sh`chown zookeeper:zookeeper ${m.dataDir}/myid`),
    step(110, reloadServiceDefinitions(m.initSystem)),
    step(111, enableServices(m.initSystem, ['zookeeper'])),
    step(112, restartServices(m.initSystem, ['zookeeper'])),
  ];
}

/**
 * The mesoscloud/zookeeper image writes its zoo.cfg itself (clientPort 2181, dataDir
 * /tmp/zookeeper, `server.<position in SERVERS>=<addr>:2888:3888`, TICK_TIME/INIT_LIMIT/SYNC_LIMIT
 * from the environment), so MYID is
 * the member's position in SERVERS: the plan orders members by id and the checks require ids
 * 1..n with this runtime, so position and id agree on every host.
 */
function renderDockerMember(specName: string, zk: InDocker<ZookeeperPlan>, m: ZookeeperMember): Artifact[] {
  const servers = zk.members.map((x) => x.address).join(',');
  const run = shContinued([
    sh`docker run -d --name zookeeper --net host --restart always`,
    sh`-e MYID=${m.id}`,
    sh`-e SERVERS=${servers}`,
    // the image's entrypoint reads these three; ports and dataDir are fixed (checked by the spec)
    sh`-e TICK_TIME=${zk.tickTime}`,
    sh`-e INIT_LIMIT=${zk.initLimit}`,
    sh`-e SYNC_LIMIT=${zk.syncLimit}`,
    sh`-v ${m.dataDir}:/tmp/zookeeper`,
    sh`${zk.image}`,
  ]);
  const step = (order: number, command: ShellLine): CommandArtifact => ({
    kind: 'command',
    host: m.host,
    order,
    command,
    component: 'zookeeper',
  });
  return [
    step(100, sh`mkdir -p ${m.dataDir}`),
    step(
      101,
      shLines([
        shComment(`# ${specName}: ZooKeeper member ${m.id} of ${zk.members.length}`),
        sh`docker rm -f zookeeper >/dev/null 2>&1 || true`,
      ]),
    ),
    step(102, run),
  ];
}
