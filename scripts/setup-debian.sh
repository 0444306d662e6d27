#!/usr/bin/env bash
# Installs the Debian packages virtmon's system tests need (real QEMU, Prometheus, net-snmp,
# Alertmanager, Chromium) and builds the cached test guest. Idempotent and quick when
# everything is already present: apt-get runs only when a command is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# command -> Debian package that provides it
declare -A NEEDS=(
  [qemu-system-x86_64]=qemu-system-x86
  [qemu-img]=qemu-utils
  [prometheus]=prometheus
  [promtool]=prometheus
  [prometheus-alertmanager]=prometheus-alertmanager
  [snmpwalk]=snmp
  [snmpd]=snmpd
  [snmptrapd]=snmptrapd
  [busybox]=busybox-static
  [cpio]=cpio
  [ip]=iproute2
  [ps]=procps
  [chromium]=chromium
  [openssl]=openssl
)

missing=()
for cmd in "${!NEEDS[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$cmd" ] && ! [ -x "/usr/bin/$cmd" ]; then
    missing+=("${NEEDS[$cmd]}")
  fi
done
# busybox-static specifically (a dynamic busybox cannot go into the initramfs)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)

if [ "${#missing[@]}" -gt 0 ]; then
  mapfile -t pkgs < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "setup-debian: installing ${pkgs[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-debian: need root to install Debian packages (run as root or install: ${pkgs[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  # Debian's snmpd/prometheus packages may try to start their services; tests start their own.
  for svc in snmpd snmptrapd prometheus prometheus-alertmanager; do
    pkill -x "$svc" 2>/dev/null || true
  done
fi

if [ -x scripts/build-test-guest.sh ]; then
  scripts/build-test-guest.sh
fi
echo "setup-debian: ok"
