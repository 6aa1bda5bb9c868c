import { sh, shComment, shScript } from '@k8sm/spec';

/**
 * LSB init script of the masters' kubelet (the k8sm HA guide's Ubuntu 14.04 hosts); it reads
 * KUBELET_OPTS from /etc/default/kubelet.
 */
export function kubeletInitScript(header: string, version: string, cluster: string): string {
  return shScript([
    sh`#!/bin/sh`,
    shComment(header),
    sh`### BEGIN INIT INFO
# Provides:          kubelet
# Required-Start:    $network $remote_fs docker
# Required-Stop:     $network $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6`,
    shComment(`# Short-Description: Kubernetes ${version} kubelet of ${cluster}`),
    sh`### END INIT INFO

NAME=kubelet
DAEMON=/usr/local/bin/kubelet
PIDFILE=/var/run/kubelet.pid
LOGFILE=/var/log/kubernetes/kubelet.log
KUBELET_OPTS=""

# shellcheck disable=SC1091
[ -r /etc/default/kubelet ] && . /etc/default/kubelet
[ -x "$DAEMON" ] || { echo "$DAEMON is missing" >&2; exit 5; }

start() {
  mkdir -p /var/log/kubernetes
  # KUBELET_OPTS holds one word per flag: split on purpose, but never globbed, and the words reach
  # sh -c as arguments: pasted into its script text, a $(...) in a flag value would run.
  set -f
  # shellcheck disable=SC2016,SC2086
  start-stop-daemon --start --background --make-pidfile --pidfile "$PIDFILE" \\
    --exec /bin/sh -- -c 'log=$1; shift; exec "$@" >>"$log" 2>&1' kubelet "$LOGFILE" "$DAEMON" $KUBELET_OPTS
  set +f
}

stop() {
  start-stop-daemon --stop --oknodo --retry 10 --pidfile "$PIDFILE"
  rm -f "$PIDFILE"
}

case "$1" in
  start) start ;;
  stop) stop ;;
  restart|force-reload) stop; start ;;
  status)
    if start-stop-daemon --status --pidfile "$PIDFILE"; then echo "$NAME is running"; else echo "$NAME is not running"; exit 3; fi
    ;;
  *) echo "Usage: /etc/init.d/$NAME {start|stop|restart|force-reload|status}" >&2; exit 2 ;;
esac`,
  ]);
}

/** A Kubernetes component run by systemd with its flags in one variable of an env file. */
export const SYSTEMD_UNIT = `{{{header}}}
[Unit]
Description={{{description}}}
Documentation=https://kubernetes.io/docs/
After={{{after}}}
Wants=network-online.target

[Service]
EnvironmentFile={{{envFile}}}
ExecStart={{{exec}}}
Restart=on-failure
RestartSec=5
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;
