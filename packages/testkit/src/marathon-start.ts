// Marathon's packages' start paths, run for real on a host's rendered files (upstream/SOURCES.md).
import { runUpstreamScript, type ScriptRun, upstreamFile } from './upstream-script.js';

const READ = /^\/etc\/(default\/marathon|marathon\/conf\/.+|mesos\/zk)$/;
const read = (files: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(files).filter(([path]) => READ.test(path)));

/**
 * Before 1.5: bin/marathon-framework (mesosphere/marathon @ v0.15.3) turns /etc/marathon/conf/*
 * into flags, sources /etc/default/marathon with allexport and execs `java … mesosphere.marathon.Main
 * <flags>`; the fake java records that argv and the environment.
 */
export function marathonFrameworkStart(files: Readonly<Record<string, string>>): ScriptRun {
  return runUpstreamScript({
    script: upstreamFile('marathon/marathon-framework-0.15.3'),
    name: 'marathon-framework',
    args: [],
    etc: read(files),
    daemons: ['/opt/k8sm/bin/java'],
  });
}

/**
 * From 1.5, on SysV hosts: the two lines of tools/packager/scripts/ubuntu1404.init (@ 90619da70d79)
 * that load /etc/default/marathon and export its names, taken from the upstream file as they are,
 * then the start, as a fake bin/marathon that records its environment.
 */
export function marathonSysvStart(files: Readonly<Record<string, string>>): ScriptRun {
  const init = upstreamFile('marathon/ubuntu1404.init');
  const load = init
    .split('\n')
    .filter((l) => /^\s*(\. \$config|export \$\(cut -d= -f1 \$config .*\))$/.test(l));
  if (load.length !== 2) throw new Error('ubuntu1404.init no longer loads $config in two lines');
  const script = ['set -ue', 'config="/etc/default/marathon"', ...load, 'exec marathon', ''].join('\n');
  return runUpstreamScript({
    script,
    name: 'marathon-init',
    args: [],
    etc: read(files),
    daemons: ['/opt/k8sm/bin/marathon'],
  });
}
