#!/usr/bin/env bash
# Builds virtmon's test guest (libvirt-semantics.md §15) from Debian packages only: the kernel that
# linux-image-cloud-amd64 depends on, its virtio modules, and busybox-static, packed into a newc+gzip
# initramfs whose /init loads the modules, configures eth0 from the kernel command line and then does
# disk and network I/O forever, printing a heartbeat to the serial console.
#
# Output (cached): ${VIRTMON_CACHE:-$HOME/.cache/virtmon}/guest/{vmlinuz,initrd.gz,manifest.json}
# The cache is keyed by this script's sha256: an unchanged script with a complete cache exits at once.
# VIRTMON_GUEST_REBUILD=1 forces a rebuild. Needs root (device nodes in the initramfs) and Debian's
# mirrors (apt-get download); nothing else from the network.
#
# Boot it with (TCG: a Linux guest hangs early under nested KVM on the test machines):
#   qemu-system-x86_64 -accel tcg -m 128 -kernel vmlinuz -initrd initrd.gz -display none \
#     -append 'console=ttyS0 quiet virtmon.ip=10.0.0.2/24 virtmon.gw=10.0.0.1' -serial file:LOG \
#     -drive file=disk.raw,format=raw,if=virtio -netdev tap,… -device virtio-net-pci,… \
#     -device virtio-balloon-pci
# Serial markers: `GUEST-UP` once the modules are loaded and eth0 is configured, then one
# `virtmon-guest: beat N disk-write=ok|fail|none disk-read=… ping=…` line per second.
# The ACPI power button (QMP system_powerdown) makes the guest power off (`poweroff -f`).
set -euo pipefail

SELF="$(readlink -f "$0")"
CACHE="${VIRTMON_CACHE:-${HOME:-/root}/.cache/virtmon}"
OUT="$CACHE/guest"
SCRIPT_SHA="$(sha256sum "$SELF" | cut -c1-64)"

log() { echo "build-test-guest: $*" >&2; }
die() { log "error: $*"; exit 1; }

cache_complete() {
  [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.gz" ] && [ -s "$OUT/manifest.json" ] &&
    grep -q "\"scriptSha256\": \"$SCRIPT_SHA\"" "$OUT/manifest.json"
}

if [ "${VIRTMON_GUEST_REBUILD:-0}" != 1 ] && cache_complete; then
  log "cached: $OUT"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "must run as root (it creates device nodes for the initramfs); run scripts/setup-debian.sh as root"
for cmd in apt-get apt-cache dpkg-deb cpio gzip flock; do
  command -v "$cmd" >/dev/null || die "missing command: $cmd"
done

mkdir -p "$CACHE"
# One build at a time (parallel setup runs); the second waits, then finds the cache complete.
exec 9>"$CACHE/.guest.lock"
flock 9
if [ "${VIRTMON_GUEST_REBUILD:-0}" != 1 ] && cache_complete; then
  log "cached: $OUT (built by a concurrent run)"
  exit 0
fi

WORK="$(mktemp -d "$CACHE/.guest-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# apt-get download, refreshing the package lists once if the mirror no longer has the listed version.
fetch() {
  if ! apt-get -o APT::Sandbox::User=root download -qq "$1" >/dev/null 2>&1; then
    log "apt-get download $1 failed; running apt-get update once"
    apt-get update -qq
    apt-get -o APT::Sandbox::User=root download -qq "$1" >/dev/null || die "cannot download $1"
  fi
}

# --- kernel: resolve linux-image-cloud-amd64's dependency, download, unpack --------------------------
KPKG="$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
  sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n1)"
if [ -z "$KPKG" ]; then
  apt-get update -qq
  KPKG="$(apt-cache depends linux-image-cloud-amd64 |
    sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n1)"
fi
[ -n "$KPKG" ] || die "cannot resolve the kernel package linux-image-cloud-amd64 depends on"
log "kernel package: $KPKG"
mkdir debs kernel
(cd debs && fetch "$KPKG")
KDEB="$(ls debs/"$KPKG"_*.deb)"
dpkg-deb -x "$KDEB" kernel
KDEB_VERSION="$(dpkg-deb -f "$KDEB" Version)"
VMLINUZ="$(ls kernel/boot/vmlinuz-* | head -n1)"
[ -f "$VMLINUZ" ] || die "no boot/vmlinuz-* in $KDEB"
KREL="${VMLINUZ##*/vmlinuz-}"
MODDIR="kernel/lib/modules/$KREL/kernel"
[ -d "$MODDIR" ] || die "no $MODDIR in $KDEB"

# --- busybox: the installed busybox-static, else its .deb --------------------------------------------
if dpkg -s busybox-static >/dev/null 2>&1 && [ -x /bin/busybox ]; then
  BUSYBOX=/bin/busybox
  BB_VERSION="$(dpkg-query -W -f '${Version}' busybox-static)"
else
  (cd debs && fetch busybox-static)
  BBDEB="$(ls debs/busybox-static_*.deb)"
  mkdir bb && dpkg-deb -x "$BBDEB" bb
  BUSYBOX="$(ls bb/bin/busybox bb/usr/bin/busybox 2>/dev/null | head -n1)"
  BB_VERSION="$(dpkg-deb -f "$BBDEB" Version)"
fi
[ -x "$BUSYBOX" ] || die "no static busybox found"

# --- modules: the virtio set, plus the ACPI power button and evdev for system_powerdown -------------
WANT=(virtio_pci virtio_blk virtio_net virtio_balloon button evdev)
ROOT="$WORK/root"
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,etc,lib/modules}

# Finds a module file by name (kernel names use _ where files may use -), uncompressed into the root.
declare -A MODFILE=()
module_file() {
  local name="$1" alt="${1//_/-}" f
  f="$(find "$MODDIR" \( -name "$name.ko*" -o -name "$alt.ko*" \) | head -n1)"
  [ -n "$f" ] || die "module $name not found in $KPKG"
  local dst="$ROOT/lib/modules/$name.ko"
  case "$f" in
    *.ko) cp "$f" "$dst" ;;
    *.ko.xz) xz -dc "$f" >"$dst" 2>/dev/null || "$BUSYBOX" unxz -c "$f" >"$dst" ;;
    *.ko.zst) zstd -qdc "$f" >"$dst" ;;
    *.ko.gz) gzip -dc "$f" >"$dst" ;;
    *) die "unknown module compression: $f" ;;
  esac
  MODFILE[$name]="$dst"
}
# depends= from the module's .modinfo section (no kmod needed).
module_depends() {
  tr '\0' '\n' <"${MODFILE[$1]}" | sed -n 's/^depends=//p' | head -n1 | tr ',' ' '
}
# Depth-first topological order: a module after everything it depends on.
declare -A SEEN=()
ORDER=()
visit() {
  local name="$1" dep
  [ -n "${SEEN[$name]:-}" ] && return 0
  SEEN[$name]=1
  module_file "$name"
  for dep in $(module_depends "$name"); do visit "$dep"; done
  ORDER+=("$name")
}
for m in "${WANT[@]}"; do visit "$m"; done
printf '%s\n' "${ORDER[@]}" >"$ROOT/etc/modules.order"
log "modules (load order): ${ORDER[*]}"

cp "$BUSYBOX" "$ROOT/bin/busybox"
mknod -m 600 "$ROOT/dev/console" c 5 1
mknod -m 666 "$ROOT/dev/null" c 1 3

# --- /init -------------------------------------------------------------------------------------------
cat >"$ROOT/init" <<'INIT'
#!/bin/busybox sh
# virtmon test guest (built by scripts/build-test-guest.sh). Runs as PID 1 and never exits.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
exec </dev/console >/dev/console 2>&1

for m in $(cat /etc/modules.order); do
  insmod "/lib/modules/$m.ko" || echo "virtmon-guest: insmod $m failed"
done

IP=; GW=
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    virtmon.ip=*) IP="${arg#virtmon.ip=}" ;;
    virtmon.gw=*) GW="${arg#virtmon.gw=}" ;;
  esac
done

ip link set lo up
if [ -n "$IP" ]; then
  i=0
  while [ ! -e /sys/class/net/eth0 ] && [ "$i" -lt 50 ]; do usleep 100000; i=$((i + 1)); done
  if ip addr add "$IP" dev eth0 && ip link set eth0 up; then
    echo "virtmon-guest: eth0 $IP gw ${GW:-none}"
  else
    echo "virtmon-guest: eth0 configuration failed"
  fi
fi

# The ACPI power button (QMP system_powerdown) powers the guest off, as acpid would.
for ev in /sys/class/input/event*; do
  [ -e "$ev/device/name" ] || continue
  case "$(cat "$ev/device/name")" in
    "Power Button")
      ( dd if="/dev/input/${ev##*/}" of=/dev/null bs=24 count=1 2>/dev/null
        echo "virtmon-guest: power button, powering off"; sync; poweroff -f ) &
      ;;
  esac
done

echo "GUEST-UP"

n=0
while :; do
  n=$((n + 1))
  w=none; r=none; p=none
  if [ -b /dev/vda ]; then
    # 64 KiB per beat at a rotating offset, direct I/O both ways so every byte reaches the device.
    blocks=$(( $(cat /sys/block/vda/size) / 128 ))
    [ "$blocks" -gt 0 ] || blocks=1
    off=$(( n % blocks ))
    if dd if=/dev/zero of=/dev/vda bs=65536 count=1 seek="$off" oflag=direct conv=notrunc 2>/dev/null; then w=ok; else w=fail; fi
    if dd if=/dev/vda of=/dev/null bs=65536 count=1 skip="$off" iflag=direct 2>/dev/null; then r=ok; else r=fail; fi
  fi
  if [ -n "$GW" ]; then
    if ping -c 1 -W 1 "$GW" >/dev/null 2>&1; then p=ok; else p=fail; fi
  fi
  echo "virtmon-guest: beat $n disk-write=$w disk-read=$r ping=$p"
  sleep 1
done
INIT
chmod 755 "$ROOT/init"

# --- pack --------------------------------------------------------------------------------------------
mkdir out
cp "$VMLINUZ" out/vmlinuz
(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -9n >out/initrd.gz

json_list() { local sep='' x; printf '['; for x in "$@"; do printf '%s"%s"' "$sep" "$x"; sep=', '; done; printf ']'; }
cat >out/manifest.json <<JSON
{
  "scriptSha256": "$SCRIPT_SHA",
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "kernelPackage": "$KPKG",
  "kernelPackageVersion": "$KDEB_VERSION",
  "kernelRelease": "$KREL",
  "busyboxVersion": "$BB_VERSION",
  "modules": $(json_list "${ORDER[@]}"),
  "files": {
    "vmlinuz": { "sha256": "$(sha256sum out/vmlinuz | cut -c1-64)", "bytes": $(stat -c %s out/vmlinuz) },
    "initrd.gz": { "sha256": "$(sha256sum out/initrd.gz | cut -c1-64)", "bytes": $(stat -c %s out/initrd.gz) }
  },
  "append": "console=ttyS0 quiet",
  "cmdlineParams": { "virtmon.ip": "guest eth0 address, CIDR", "virtmon.gw": "host end of the tap, pinged every beat" },
  "markers": { "up": "GUEST-UP", "beat": "virtmon-guest: beat " }
}
JSON

# Swap the finished build in; a half-written cache is never visible.
if [ -e "$OUT" ]; then mv "$OUT" "$WORK/old"; fi
mv out "$OUT"
log "built $OUT ($KREL, $(stat -c %s "$OUT/initrd.gz") byte initrd)"
