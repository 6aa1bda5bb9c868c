import * as z from 'zod';
import { type ShellLine, sh, shLines } from './shell.js';

// How a package-runtime script controls a service, per init system. Facts from upstart's own
// manuals (github:ubports/upstart@47a2d086b8c1758e1ca4f91f52fad18a21222cab, util/man/initctl.8
// and init/man/init.5):
// - `start JOB` "will return an error" when the job is already running; `restart JOB` "can only
//   be used when there is an instance of JOB, if there is none then it returns an error", and
//   the restarted instance "will retain its original configuration": to run a changed
//   /etc/init/<job>.conf, `stop` the job and `start` it again. So a restart here is
//   `stop JOB || true` then `start JOB`, right on a stopped job and on a running one.
// - `manual` "will disregard any previously seen start on" (init(5)): a job with `manual` in its
//   /etc/init/<job>.override starts only by `start`; an override without a .conf is ignored.
// - init watches /etc/init with inotify(7); `initctl reload-configuration` asks for it anyway.

export const INIT_SYSTEMS = ['systemd', 'upstart'] as const;
export type InitSystem = (typeof INIT_SYSTEMS)[number];

export const DEFAULT_INIT_SYSTEM: InitSystem = 'systemd';

/** The spec field, on the cluster and on a host. */
export const initSystemField = () =>
  z.enum(INIT_SYSTEMS).meta({
    description:
      "How the package runtime controls services. `systemd`: units in /etc/systemd/system, `systemctl daemon-reload/enable/restart` (Debian 8+, Ubuntu 15.04+, CentOS 7). `upstart`: Ubuntu 14.04-era upstart 1.x; each job is /etc/init/<job>.conf (the Mesos and Marathon packages ship theirs, k8sm writes ZooKeeper's), enabled or disabled by `manual` in /etc/init/<job>.override, run by `start`/`stop` (initctl); etcd, HAProxy and Kubernetes have no upstart job from k8sm and are refused there. The docker runtime calls neither.",
    default: DEFAULT_INIT_SYSTEM,
  });

/** A host's init system: its own `initSystem`, else the cluster's, else systemd. */
export const hostInitSystem = (
  spec: { readonly initSystem?: InitSystem | undefined },
  host: { readonly initSystem?: InitSystem | undefined },
): InitSystem => host.initSystem ?? spec.initSystem ?? DEFAULT_INIT_SYSTEM;

/** The upstart job file of a service, and the override file beside it. */
export const upstartJobPath = (job: string) => `/etc/init/${job}.conf`;
export const upstartOverridePath = (job: string) => `/etc/init/${job}.override`;

const unit = (service: string) => `${service}.service`;
// A `manual` line, as written by hand (`echo manual > …`) or by disableService.
const MANUAL_LINE = '^[[:space:]]*manual[[:space:]]*$';

/** After service definitions changed: `systemctl daemon-reload`, `initctl reload-configuration`. */
export function reloadServiceDefinitions(init: InitSystem): ShellLine {
  return init === 'systemd' ? sh`systemctl daemon-reload` : sh`initctl reload-configuration`;
}

/** Start the services at boot: `systemctl enable`; upstart: drop `manual` from each override. */
export function enableServices(init: InitSystem, services: readonly string[]): ShellLine {
  if (init === 'systemd') return sh`systemctl enable ${services.map(unit)}`;
  return shLines(
    services.map((job) => {
      const override = upstartOverridePath(job);
      return sh`[ ! -f ${override} ] || sed -i ${`/${MANUAL_LINE}/d`} ${override}`;
    }),
  );
}

/** (Re)start the services so they run their current configuration, running or not. */
export function restartServices(init: InitSystem, services: readonly string[]): ShellLine {
  if (init === 'systemd') return sh`systemctl restart ${services.map(unit)}`;
  return shLines(services.flatMap((job) => [sh`stop ${job} || true`, sh`start ${job}`]));
}

/** Reload a running service's configuration, or start it: upstart's `reload` only sends SIGHUP. */
export function reloadOrRestartService(init: InitSystem, service: string): ShellLine {
  return init === 'systemd'
    ? sh`systemctl reload-or-restart ${unit(service)}`
    : restartServices(init, [service]);
}

/**
 * Stop a service the packages installed on a host that does not run it, and keep it from
 * starting at boot; a service this host's packages did not install is already off.
 */
export function disableService(init: InitSystem, service: string): ShellLine {
  if (init === 'systemd') return sh`systemctl disable --now ${unit(service)} 2>/dev/null || true`;
  const override = upstartOverridePath(service);
  return shLines([
    sh`stop ${service} 2>/dev/null || true`,
    sh`grep -q ${MANUAL_LINE} ${override} 2>/dev/null || echo manual >>${override}`,
  ]);
}
