#!/usr/bin/env bash
# Bench-only setup for bench/peers (issue 12; performance.md §8.2): the peers virtmon is measured
# against, from Debian 12's packages: libvirt 9.0 (libvirtd + virsh) and collectd 5.12's virt plugin.
# NOT part of the test setup (scripts/setup-debian.sh): the tests never need libvirt or collectd.
# Idempotent: apt-get runs only when a package is missing. Needs root.
set -euo pipefail
cd "$(dirname "$0")/../.."

pkgs=()
for p in libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients collectd-core; do
  dpkg -s "$p" >/dev/null 2>&1 || pkgs+=("$p")
done
if [ "${#pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench/peers/setup: need root to install ${pkgs[*]}" >&2
    exit 1
  fi
  echo "bench/peers/setup: installing ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # apt's lock is shared with scripts/setup-debian.sh runs of other sessions: wait for it.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi

# The VMs run the cached test guest (TCG).
if [ -x scripts/build-test-guest.sh ]; then
  scripts/build-test-guest.sh
fi
echo "bench/peers/setup: ok ($(virsh --version 2>/dev/null || echo '?') libvirt, $(/usr/sbin/collectd -h 2>/dev/null | sed -n 's/^collectd \([0-9.]*\).*/\1/p' | head -1) collectd)"
