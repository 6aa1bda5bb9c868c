#!/usr/bin/env bash
# The whole test suite on a fresh machine with Node and npm: installs what the tests need
# (pnpm dependencies; Debian's zookeeper, etcd-server, etcd-client (etcdctl) and haproxy for the tests that start real
# daemons, shellcheck, systemd-analyze and ansible-core for the rendered scripts, units and
# playbook, ansible-lint for the playbook's lint, promtool for the Prometheus output, bubblewrap for the injection sandbox, a JDK for java.util.Properties as the zoo.cfg oracle, headless chromium to load k8sm-probe --html and to render the topology's Mermaid diagrams,
# graphviz's dot to render its DOT, zsh and fish to load and drive the completion scripts), then lints, type-checks and tests every package through turbo,
# and last (alone: it rebuilds the whole tree) packs every package and installs the tarballs with npm.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
PNPM=(npx -y pnpm@10.34.9)

debian_packages=(zookeeper etcd-server etcd-client haproxy curl shellcheck systemd ansible-core ansible-lint prometheus bubblewrap openjdk-17-jdk-headless chromium graphviz zsh fish)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if ((${#missing[@]} > 0)); then
    if [ "$(id -u)" -ne 0 ]; then
      echo "test: the daemon tests need the Debian packages ${missing[*]}; run this script as root to install them" >&2
      exit 1
    fi
    echo "test: installing ${missing[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
elif [ "${CI:-}" = "true" ]; then
  echo "test: no dpkg on this machine; CI needs Debian's ${debian_packages[*]}" >&2
  exit 1
else
  echo "test: not a Debian machine; tests that start real daemons fail unless ${debian_packages[*]} are on PATH" >&2
fi

"${PNPM[@]}" install --frozen-lockfile --reporter=append-only
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
{ "${PNPM[@]}" exec biome check . && "${PNPM[@]}" exec turbo run lint check-types test --output-logs=full &&
  "${PNPM[@]}" exec turbo run test:release --output-logs=full; } 2>&1 |
  tee "$log" || status=$?
# One closing line over every package's ava summary ("N tests passed", "N tests failed").
count() { grep -oE "[0-9]+ (tests?|known failures?) $1" "$log" | awk '{ n += $1 } END { print n + 0 }'; }
echo "tests: $(count passed) passed, $(count failed) failed"
exit "$status"
