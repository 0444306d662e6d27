#!/usr/bin/env bash
# Captures the collector fixture trees (test/fixtures/proc, cgroup-v1, cgroup-hybrid) from this machine:
# a short-lived QEMU (2 vCPUs, one virtio disk, one tap) placed in real cgroups the way libvirt places a
# domain (`<group>/{emulator,vcpu0,vcpu1}`), then the kernel files copied with the host-specific names
# rewritten to a libvirt-style domain (`machine/qemu-1-vm1.libvirt-qemu`, pid 4242, vCPU tids 4250/4251).
#
# Needs root, a hybrid cgroup host (v1 controllers under /sys/fs/cgroup/<ctrl>, cgroup2 at
# /sys/fs/cgroup/unified) and qemu-system-x86_64. Groups are created under this shell's own group of each
# hierarchy (so a memory limit that applies to us still applies) and everything is removed on exit.
# The pure cgroup v2 fixture (test/fixtures/cgroup-v2) is hand-written (this host has no v2 controllers)
# and left alone; see test/fixtures/README.collectors.md for what else is hand-written.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/test/fixtures}
CG=/sys/fs/cgroup
NAME=vmt-fixture-$$
TAP=vmtfx$$
WORK=$(mktemp -d /tmp/vmtfx.XXXXXX)
DOMAIN=machine/qemu-1-vm1.libvirt-qemu
FAKE_PID=4242
FAKE_TIDS=(4250 4251)
QPID=''
declare -A BASE=()

own_group() { # own_group CONTROLLER -> this shell's group in that hierarchy ('' for '/')
  local want=$1 line
  while IFS= read -r line; do
    local ctrls=${line#*:}; ctrls=${ctrls%%:*}
    local path=${line#*:*:}
    if [[ $want == unified && $ctrls == '' ]] || [[ ",$ctrls," == *",$want,"* ]]; then
      [[ $path == / ]] && path=''
      printf '%s' "$path"; return
    fi
  done </proc/self/cgroup
}

cleanup() {
  set +e
  [[ -n $QPID ]] && kill "$QPID" 2>/dev/null && wait "$QPID" 2>/dev/null
  for dir in "${BASE[@]}"; do
    for sub in emulator vcpu0 vcpu1; do [[ -d $dir/$sub ]] && rmdir "$dir/$sub"; done
    [[ -d $dir ]] && for _ in 1 2 3 4 5; do rmdir "$dir" 2>/dev/null && break; sleep 0.2; done
  done
  ip link del "$TAP" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

for ctrl in cpu cpuacct cpuset memory blkio unified; do
  BASE[$ctrl]=$CG/$ctrl$(own_group "$ctrl")/$NAME
  mkdir "${BASE[$ctrl]}"
done
for ctrl in cpu cpuacct cpuset unified; do
  for sub in emulator vcpu0 vcpu1; do mkdir "${BASE[$ctrl]}/$sub"; done
done
for dir in "${BASE[cpuset]}" "${BASE[cpuset]}"/{emulator,vcpu0,vcpu1}; do
  cat "$(dirname "$dir")/cpuset.cpus" >"$dir/cpuset.cpus"
  cat "$(dirname "$dir")/cpuset.mems" >"$dir/cpuset.mems"
done
# cgroup v2 forbids threads of one process in sibling domain groups: libvirt makes them threaded.
for sub in emulator vcpu0 vcpu1; do echo threaded >"${BASE[unified]}/$sub/cgroup.type"; done

ip tuntap add dev "$TAP" mode tap
ip link set "$TAP" up
truncate -s 64M "$WORK/disk.img"

# The child joins the groups before exec, so QEMU's allocations are charged to them from the start.
(
  for ctrl in cpu cpuacct cpuset; do echo "$BASHPID" >"${BASE[$ctrl]}/emulator/cgroup.procs"; done
  # v2: a process enters the threaded domain root; its thread then moves to the threaded `emulator`.
  echo "$BASHPID" >"${BASE[unified]}/cgroup.procs"
  echo "$BASHPID" >"${BASE[unified]}/emulator/cgroup.threads"
  for ctrl in memory blkio; do echo "$BASHPID" >"${BASE[$ctrl]}/cgroup.procs"; done
  exec qemu-system-x86_64 -name vm1,debug-threads=on -accel tcg -smp 2 -m 64 -nodefaults -display none \
    -drive file="$WORK/disk.img",format=raw,if=none,id=drive-virtio-disk0,cache=none \
    -device virtio-blk-pci,drive=drive-virtio-disk0,id=virtio-disk0,bootindex=1 \
    -netdev tap,id=hostnet0,ifname="$TAP",script=no,downscript=no \
    -device virtio-net-pci,netdev=hostnet0,id=net0,romfile=
) &
QPID=$!

TIDS=()
for _ in $(seq 50); do
  TIDS=()
  for t in /proc/$QPID/task/*; do
    comm=$(cat "$t/comm" 2>/dev/null || true)
    [[ $comm == "CPU 0/TCG" ]] && TIDS[0]=${t##*/}
    [[ $comm == "CPU 1/TCG" ]] && TIDS[1]=${t##*/}
  done
  [[ ${#TIDS[@]} -eq 2 ]] && break
  sleep 0.1
done
[[ ${#TIDS[@]} -eq 2 ]] || { echo "capture: no vCPU threads found" >&2; exit 1; }
for i in 0 1; do
  for ctrl in cpu cpuacct cpuset; do echo "${TIDS[$i]}" >"${BASE[$ctrl]}/vcpu$i/tasks"; done
  echo "${TIDS[$i]}" >"${BASE[unified]}/vcpu$i/cgroup.threads"
done

# Let the firmware run (TCG burns CPU, the disk is read with O_DIRECT) and the host talk on the tap.
sleep 3

rewrite() { sed -e "s#/$NAME#/$DOMAIN#g" -e "s#[^:]*/$DOMAIN#/$DOMAIN#g" -e "s/^ *$TAP:/ vnet0:/"; }

copy_proc() {
  local dst=$OUT/proc
  rm -rf "$dst"; mkdir -p "$dst/$FAKE_PID/task" "$dst/net"
  sed -e "s/^$QPID /$FAKE_PID /" "/proc/$QPID/stat" >"$dst/$FAKE_PID/stat"
  rewrite <"/proc/$QPID/cgroup" >"$dst/$FAKE_PID/cgroup"
  for i in 0 1; do
    local src=/proc/$QPID/task/${TIDS[$i]} tdir=$dst/$FAKE_PID/task/${FAKE_TIDS[$i]}
    mkdir -p "$tdir"
    sed -e "s/^${TIDS[$i]} /${FAKE_TIDS[$i]} /" "$src/stat" >"$tdir/stat"
    cp "$src/schedstat" "$tdir/schedstat"
    sed -e "1s/(${TIDS[$i]}, /(${FAKE_TIDS[$i]}, /" "$src/sched" >"$tdir/sched"
  done
  rewrite </proc/net/dev >"$dst/net/dev"
}

copy_group() { # copy_group SRC DST FILE...
  local src=$1 dst=$2; shift 2
  mkdir -p "$dst"
  for f in "$@"; do [[ -r $src/$f ]] && cp "$src/$f" "$dst/$f"; done
  return 0
}

copy_v1() { # copy_v1 OUTDIR
  local dst=$1
  rm -rf "$dst"; mkdir -p "$dst"
  local cpu_files=(cpu.stat cpu.shares cpu.cfs_period_us cpu.cfs_quota_us)
  local acct_files=(cpuacct.usage cpuacct.stat cpuacct.usage_percpu cpuacct.usage_user cpuacct.usage_sys)
  for sub in '' /emulator /vcpu0 /vcpu1; do
    copy_group "${BASE[cpu]}$sub" "$dst/cpu/$DOMAIN$sub" "${cpu_files[@]}"
    copy_group "${BASE[cpuacct]}$sub" "$dst/cpuacct/$DOMAIN$sub" "${acct_files[@]}"
    copy_group "${BASE[cpuset]}$sub" "$dst/cpuset/$DOMAIN$sub" cpuset.cpus cpuset.mems
  done
  copy_group "${BASE[memory]}" "$dst/memory/$DOMAIN" memory.usage_in_bytes memory.limit_in_bytes memory.stat \
    memory.max_usage_in_bytes memory.failcnt
  copy_group "${BASE[blkio]}" "$dst/blkio/$DOMAIN" blkio.throttle.io_service_bytes blkio.throttle.io_serviced
}

# Kernel 6.x counts blkio.throttle.* only once a throttle rule exists on the device, and we set none
# on the host's disk: these two files are written by hand in the kernel's format.
write_blkio() {
  local b=$1/blkio/$DOMAIN
  printf '254:0 Read 1089536\n254:0 Write 8192\n254:0 Sync 8192\n254:0 Async 1089536\n254:0 Discard 0\n254:0 Total 1097728\nTotal 1097728\n' \
    >"$b/blkio.throttle.io_service_bytes"
  printf '254:0 Read 266\n254:0 Write 2\n254:0 Sync 2\n254:0 Async 266\n254:0 Discard 0\n254:0 Total 268\nTotal 268\n' \
    >"$b/blkio.throttle.io_serviced"
}

# proc/5252: the same process as 4242 seen on a pure-v2 systemd host with schedstats enabled
# (hand-written `sched` lines in the kernel's %-45s:%14Ld.%06ld format, 5.16+ key names).
derive_v2_proc() {
  local src=$OUT/proc/$FAKE_PID dst=$OUT/proc/5252
  rm -rf "$dst"; mkdir -p "$dst/task"
  sed "s/^$FAKE_PID /5252 /" "$src/stat" >"$dst/stat"
  printf '0::/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/emulator\n' >"$dst/cgroup"
  local pair from to wsum wcnt
  for pair in "${FAKE_TIDS[0]}:5260:123.456789:1520" "${FAKE_TIDS[1]}:5261:0.042000:12"; do
    IFS=: read -r from to wsum wcnt <<<"$pair"
    mkdir -p "$dst/task/$to"
    sed "s/^$from /$to /" "$src/task/$from/stat" >"$dst/task/$to/stat"
    cp "$src/task/$from/schedstat" "$dst/task/$to/schedstat"
    awk -v from="$from" -v to="$to" -v wsum="$wsum" -v wcnt="$wcnt" '
      NR == 1 { sub("\\(" from ",", "(" to ","); print; next }
      { print }
      /^se.nr_migrations/ {
        f = "%-45s:%21s\n"
        printf f, "sum_sleep_runtime", "2954.802119"; printf f, "sum_block_runtime", "0.000000"
        printf f, "wait_start", "0.000000"; printf f, "sleep_start", "2248982.641176"
        printf f, "block_start", "0.000000"; printf f, "sleep_max", "1006.143350"
        printf f, "block_max", "0.000000"; printf f, "exec_max", "4.002671"
        printf f, "slice_max", "3.999996"; printf f, "wait_max", "8.120304"
        printf f, "wait_sum", wsum; printf f, "wait_count", wcnt
        printf f, "iowait_sum", "0.000000"; printf f, "iowait_count", "0"
      }' "$src/task/$from/sched" >"$dst/task/$to/sched"
  done
}

copy_proc
derive_v2_proc
copy_v1 "$OUT/cgroup-v1"
copy_v1 "$OUT/cgroup-hybrid"
write_blkio "$OUT/cgroup-v1"
write_blkio "$OUT/cgroup-hybrid"
for sub in '' /emulator /vcpu0 /vcpu1; do
  copy_group "${BASE[unified]}$sub" "$OUT/cgroup-hybrid/unified/$DOMAIN$sub" cpu.stat cgroup.type cgroup.controllers
done
cp "$CG/unified/cgroup.controllers" "$OUT/cgroup-hybrid/unified/cgroup.controllers"
echo "capture: wrote $OUT/{proc,cgroup-v1,cgroup-hybrid} from pid $QPID (vCPU tids ${TIDS[*]})"
