#!/usr/bin/env bash
# The container fleet: real Debian 12 hosts on this one machine, no Docker.
#
# Each host is an overlay over one shared Debian base (built once by mmdebstrap and
# cached), with its own network namespace (a veth pair and a private /30), and its own
# pid/mount/uts/ipc namespaces whose first process is OpenSSH's sshd. The hosts have no
# route out: they install packages from an offline apt repository baked into the base.
#
#   fleet.sh up N        start hosts 1..N (those not running yet); write the inventory
#   fleet.sh stop I      kill host I's processes (it becomes unreachable), keep its disk
#   fleet.sh start I     start host I again (same disk, same address, same host key)
#   fleet.sh reset I     wipe host I back to the pristine base and start it
#   fleet.sh down        stop every host, unmount, delete namespaces and links
#   fleet.sh status      list hosts and whether sshd answers
#   fleet.sh exec I CMD  run a command inside host I (as its root), for tests
#   fleet.sh tmpfs I PATH SIZE|off   a small filesystem at PATH in host I (tests)
#   fleet.sh behind T B|-  host T reachable only through host B (a bastion), or again directly
#   fleet.sh base        only build (or reuse) the cached base
#   fleet.sh base-dir    build (or reuse) the base and print its root directory
#   fleet.sh exec-prefix I   the command words that run a program inside host I (nsenter)
#   fleet.sh snapshot I NAME   keep host I's changes as a layer (for benchmarks)
#   TEND_FLEET_LAYER=NAME fleet.sh up N   hosts start from base + that layer
set -euo pipefail

FLEET_DIR=${TEND_FLEET_DIR:-/var/tmp/tend-fleet}
CACHE_DIR=${TEND_FLEET_CACHE:-/var/tmp/tend-fleet-cache}
PREFIX=tend
# Packages in the base image (what a small real Debian server has), and the packages
# that tests and playbooks install, kept as .deb files in the offline repository.
BASE_PACKAGES=openssh-server,init-system-helpers,procps,debconf,openssl,ca-certificates,bash,iproute2,cron,sudo
# python3-apt and python3-cryptography: what Ansible needs on a host, for bench/.
REPO_PACKAGES="postfix procmail sasl2-bin libsasl2-modules libdb5.3 maildrop courier-base debconf-utils bsd-mailx python3 python3-apt python3-cryptography"
# Base packages a smaller image lacks, kept in the repository too, so that a test can
# remove them from a host and see a playbook install them (a minimal Debian has no cron).
MINIMAL_MISSING="cron cron-daemon-common procps"
BASE_VERSION=3 # bump when the recipe below changes, to rebuild the cache

log() { printf 'fleet: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "the fleet needs root (network namespaces, mounts, chroot)"

ensure_tools() {
  local missing=()
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v ip >/dev/null || missing+=(iproute2)
  command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  command -v dpkg-scanpackages >/dev/null || missing+=(dpkg-dev)
  command -v unshare >/dev/null || missing+=(util-linux)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

base_key() { printf '%s|%s|%s|%s' "$BASE_VERSION" "$BASE_PACKAGES" "$REPO_PACKAGES" "$MINIMAL_MISSING" | sha256sum | cut -c1-12; }
BASE_ROOT="$CACHE_DIR/base-$(base_key)"

# Build the base once: a Debian rootfs with sshd, an offline repo of REPO_PACKAGES'
# closure, and the settings every host shares. Built in a temp dir, renamed when done,
# so an interrupted build never leaves a half base behind.
build_base() {
  [ -f "$BASE_ROOT/.complete" ] && return 0
  ensure_tools
  mkdir -p "$CACHE_DIR"
  local tmp="$BASE_ROOT.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "building the Debian 12 base (mmdebstrap, about a minute)"
  mmdebstrap --quiet --variant=apt --include="$BASE_PACKAGES" bookworm "$tmp/rootfs.tar" \
    || die "mmdebstrap failed"
  mkdir "$tmp/root"
  tar -C "$tmp/root" -xpf "$tmp/rootfs.tar"
  rm "$tmp/rootfs.tar"
  local r="$tmp/root"

  log "downloading the offline repository: $REPO_PACKAGES"
  cp /etc/resolv.conf "$r/etc/resolv.conf"
  mount --bind /proc "$r/proc"; mount --rbind /dev "$r/dev"
  # shellcheck disable=SC2086
  if ! chroot "$r" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --download-only $REPO_PACKAGES && apt-get install -y -qq --download-only --reinstall $MINIMAL_MISSING" >/dev/null; then
    umount -R "$r/dev"; umount "$r/proc"; die "downloading packages failed"
  fi
  umount -R "$r/dev"; umount "$r/proc"
  mkdir -p "$r/srv/repo"
  mv "$r"/var/cache/apt/archives/*.deb "$r/srv/repo/"
  (cd "$r/srv/repo" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null | gzip -9 > Packages.gz)
  echo 'deb [trusted=yes] file:/srv/repo ./' > "$r/etc/apt/sources.list"
  rm -f "$r"/etc/apt/sources.list.d/* "$r/etc/resolv.conf"
  chroot "$r" apt-get update -qq >/dev/null
  rm -rf "$r/var/lib/apt/lists/partial"

  # Hosts have no systemd; services do not start during package installs.
  printf '#!/bin/sh\nexit 101\n' > "$r/usr/sbin/policy-rc.d"; chmod 755 "$r/usr/sbin/policy-rc.d"
  rm -f "$r"/etc/ssh/ssh_host_*
  cat > "$r/etc/ssh/sshd_config.d/tend-fleet.conf" <<'CONF'
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
CONF
  mkdir -p "$r/root/.ssh"; chmod 700 "$r/root/.ssh"
  touch "$tmp/.complete"
  rm -rf "$BASE_ROOT"; mv "$tmp/root" "$BASE_ROOT" && mv "$tmp/.complete" "$BASE_ROOT/.complete"
  rmdir "$tmp"
  log "base ready: $BASE_ROOT ($(ls "$BASE_ROOT/srv/repo" | grep -c '\.deb$') packages in the offline repo)"
}

# Host I: name tend-I, namespace tend-I, link tendI, 10.213.a.b/30 with host side .1.
host_name() { echo "$PREFIX-$1"; }
host_ip() { local n=$(( $1 * 4 )); echo "10.213.$(( n / 256 )).$(( n % 256 + 2 ))"; }
gw_ip() { local n=$(( $1 * 4 )); echo "10.213.$(( n / 256 )).$(( n % 256 + 1 ))"; }
host_dir() { echo "$FLEET_DIR/hosts/$(host_name "$1")"; }

client_key() {
  mkdir -p "$FLEET_DIR"; chmod 700 "$FLEET_DIR"
  [ -f "$FLEET_DIR/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C tend-fleet -f "$FLEET_DIR/id_ed25519"
}

running() { ip netns pids "$(host_name "$1")" 2>/dev/null | grep -q .; }

prepare_host_disk() {
  local i=$1 d; d=$(host_dir "$i")
  local name; name=$(host_name "$i")
  mkdir -p "$d/upper" "$d/work" "$d/root"
  local lower=$BASE_ROOT
  if [ -n "${TEND_FLEET_LAYER:-}" ]; then
    [ -d "$CACHE_DIR/snapshots/$TEND_FLEET_LAYER" ] || die "no snapshot '$TEND_FLEET_LAYER' (make one with: fleet.sh snapshot I $TEND_FLEET_LAYER)"
    lower="$CACHE_DIR/snapshots/$TEND_FLEET_LAYER:$BASE_ROOT"
  fi
  mountpoint -q "$d/root" || mount -t overlay overlay \
    -o "lowerdir=$lower,upperdir=$d/upper,workdir=$d/work" "$d/root"
  local r="$d/root"
  if [ ! -f "$r/etc/ssh/ssh_host_ed25519_key" ]; then
    ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$r/etc/ssh/ssh_host_ed25519_key"
  fi
  install -m 600 "$FLEET_DIR/id_ed25519.pub" "$r/root/.ssh/authorized_keys"
  echo "$name" > "$r/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s.lab.test %s\n' "$name" "$name" > "$r/etc/hosts"
  echo "$name.lab.test" > "$r/etc/mailname"
  mkdir -p "$r/run/sshd"
}

setup_net() {
  local i=$1 ns; ns=$(host_name "$i")
  local link="${PREFIX}${i}"
  ip netns list | grep -qw "^$ns" || ip netns add "$ns"
  if ! ip link show "$link" >/dev/null 2>&1; then
    ip link add "$link" type veth peer name eth0 netns "$ns"
    ip addr add "$(gw_ip "$i")/30" dev "$link"
    ip link set "$link" up
    ip -n "$ns" addr add "$(host_ip "$i")/30" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  fi
}

start_host() {
  local i=$1
  running "$i" && return 0
  prepare_host_disk "$i"
  setup_net "$i"
  local ns r; ns=$(host_name "$i"); r="$(host_dir "$i")/root"
  # The first process of the host's pid namespace is sh, which execs chroot, which
  # execs sshd: sshd is PID 1 and reaps the daemons that tasks start.
  ip netns exec "$ns" unshare --pid --fork --mount --uts --ipc --mount-proc="$r/proc" \
    sh -c 'mount --rbind /dev "$1/dev" && hostname "$2" && exec chroot "$1" /usr/sbin/sshd -D -e' \
    sh "$r" "$ns" >"$(host_dir "$i")/sshd.log" 2>&1 </dev/null &
  disown
}

wait_ready() {
  local i ip deadline=$(( SECONDS + 30 ))
  for i in "$@"; do
    ip=$(host_ip "$i")
    until bash -c "exec 3<>/dev/tcp/$ip/22" 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || die "$(host_name "$i") did not answer on $ip:22 (see $(host_dir "$i")/sshd.log)"
      sleep 0.05
    done
  done
}

stop_host() {
  local i=$1 ns pids; ns=$(host_name "$i")
  pids=$(ip netns pids "$ns" 2>/dev/null || true)
  # shellcheck disable=SC2086
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null || true
  local tries=0
  while running "$i" && [ $tries -lt 50 ]; do sleep 0.05; tries=$((tries + 1)); done
  local r; r="$(host_dir "$i")/root"
  # The mounts made inside the host's own mount namespace die with it; the overlay
  # itself was mounted here.
  mountpoint -q "$r" && umount -l "$r" || true
}

remove_host() {
  local i=$1 ns; ns=$(host_name "$i")
  stop_host "$i"
  ip link del "${PREFIX}${i}" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$(host_dir "$i")"
}

fleet_indexes() {
  ip netns list 2>/dev/null | awk '{print $1}' | sed -n "s/^$PREFIX-\([0-9][0-9]*\)$/\1/p" | sort -n
  [ -d "$FLEET_DIR/hosts" ] && ls "$FLEET_DIR/hosts" | sed -n "s/^$PREFIX-\([0-9][0-9]*\)$/\1/p"
  true
}

write_inventory() {
  # Several fleet.sh runs may reset hosts at once (tests in parallel): one writer at a
  # time, each file written aside and renamed, so known_hosts is never seen half-made.
  exec 9>"$FLEET_DIR/.write.lock"
  flock 9
  local i all=() inventory known
  while read -r i; do all+=("$i"); done < <(fleet_indexes | sort -nu)
  inventory=$(mktemp "$FLEET_DIR/.inventory.XXXXXX")
  known=$(mktemp "$FLEET_DIR/.known_hosts.XXXXXX")
  {
    echo "# Written by test/fleet/fleet.sh: the hosts of the local container fleet."
    echo "all:"
    echo "  vars:"
    echo "    ansible_user: root"
    echo "    ansible_ssh_private_key_file: $FLEET_DIR/id_ed25519"
    echo "  hosts:"
    for i in "${all[@]}"; do
      echo "    $(host_name "$i"):"
      echo "      ansible_host: $(host_ip "$i")"
    done
  } > "$inventory"
  for i in "${all[@]}"; do
    local key; key="$(host_dir "$i")/root/etc/ssh/ssh_host_ed25519_key.pub"
    [ -f "$key" ] && echo "$(host_ip "$i") $(cut -d' ' -f1,2 "$key")" >> "$known"
  done
  chmod 0644 "$inventory" "$known"
  mv "$inventory" "$FLEET_DIR/inventory.yml"
  mv "$known" "$FLEET_DIR/known_hosts"
  flock -u 9
}

cmd_up() {
  local n=${1:?usage: fleet.sh up N}
  build_base; client_key
  local i started=()
  for i in $(seq 1 "$n"); do
    running "$i" || { start_host "$i"; started+=("$i"); }
  done
  [ ${#started[@]} -gt 0 ] && wait_ready "${started[@]}"
  write_inventory
  log "$n host(s) up. Inventory: $FLEET_DIR/inventory.yml  known_hosts: $FLEET_DIR/known_hosts"
}

cmd_down() {
  local i
  for i in $(fleet_indexes | sort -nu); do remove_host "$i"; done
  rm -f "$FLEET_DIR/inventory.yml" "$FLEET_DIR/known_hosts"
  log "fleet down"
}

cmd_status() {
  local i
  for i in $(fleet_indexes | sort -nu); do
    if running "$i"; then echo "$(host_name "$i") $(host_ip "$i") up"; else echo "$(host_name "$i") $(host_ip "$i") down"; fi
  done
}

# Run a command as root inside host I: enter its namespaces through its PID 1.
# The first process (sshd) of host I's pid namespace, as the controller sees it.
host_pid1() {
  local i=$1 pid1
  pid1=$(for p in $(ip netns pids "$(host_name "$i")"); do
    if [ "$(awk '/^NSpid/{print $3}' /proc/"$p"/status 2>/dev/null)" = 1 ]; then echo "$p"; fi; done | head -1)
  [ -n "$pid1" ] || die "$(host_name "$i") is not running"
  echo "$pid1"
}

cmd_exec() {
  local i=$1; shift
  local pid1
  pid1=$(host_pid1 "$i")
  nsenter --target "$pid1" --pid --mount --uts --ipc --net chroot "$(host_dir "$i")/root" \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"
}

# The words of a command that runs a program inside host I (nsenter into its namespaces,
# chroot into its disk), one a line: tend's `exec` connection is tested through it.
cmd_exec_prefix() {
  local pid1; pid1=$(host_pid1 "$1")
  printf '%s\n' nsenter --target "$pid1" --pid --mount --uts --ipc --net chroot "$(host_dir "$1")/root"
}

# A small tmpfs at PATH inside host I (a disk that fills up, for tests), from the
# controller's own mount(8): the hosts' base has none. SIZE resizes a mounted one; off
# unmounts it.
cmd_tmpfs() {
  local i=$1 path=$2 size=$3 pid1 target
  pid1=$(host_pid1 "$i")
  target="$(host_dir "$i")/root$path"
  if [ "$size" = off ]; then
    nsenter --target "$pid1" --mount umount "$target"
  elif nsenter --target "$pid1" --mount mountpoint -q "$target"; then
    nsenter --target "$pid1" --mount mount -o "remount,size=$size" "$target"
  else
    mkdir -p "$target"
    nsenter --target "$pid1" --mount mount -t tmpfs -o "size=$size" tmpfs "$target"
  fi
}

# Host T reachable only through host B (a bastion): the controller's end of T's link
# moves into B's network namespace, so B reaches T on that link and nothing else does.
# With `-` as B, the link comes back to the controller.
cmd_behind() {
  local t=$1 b=$2 link="${PREFIX}$1" ns where=""
  for ns in $(ip netns list | awk '{print $1}'); do
    ip -n "$ns" link show "$link" >/dev/null 2>&1 && where=$ns
  done
  if [ "$b" = - ]; then
    [ -n "$where" ] || return 0
    ip -n "$where" link set "$link" netns 1
  else
    if [ -n "$where" ]; then ip -n "$where" link set "$link" netns "$(host_name "$b")"
    else ip link set "$link" netns "$(host_name "$b")"; fi
  fi
  local run=(); [ "$b" = - ] || run=(ip netns exec "$(host_name "$b")")
  "${run[@]}" ip addr replace "$(gw_ip "$t")/30" dev "$link"
  "${run[@]}" ip link set "$link" up
}

# Host I's changes (its overlay's upper layer) kept as a layer other hosts start from:
# a converged host cloned without converging each clone. Host keys and pid files stay out.
cmd_snapshot() {
  local i=$1 name=$2 dest="$CACHE_DIR/snapshots/$2"
  [ -d "$(host_dir "$i")/upper" ] || die "$(host_name "$i") has no disk"
  rm -rf "$dest.tmp"; mkdir -p "$CACHE_DIR/snapshots"
  cp -a "$(host_dir "$i")/upper" "$dest.tmp"
  rm -f "$dest.tmp"/etc/ssh/ssh_host_* "$dest.tmp"/root/.ssh/authorized_keys
  find "$dest.tmp" -name '*.pid' -delete
  rm -rf "$dest"; mv "$dest.tmp" "$dest"
  log "snapshot '$name' of $(host_name "$i"): $(du -sh "$dest" | cut -f1)"
}

case "${1:-}" in
  up) cmd_up "${2:-}" ;;
  down) cmd_down ;;
  stop) stop_host "${2:?host index}" ;;
  start) build_base; client_key; start_host "${2:?host index}"; wait_ready "$2"; write_inventory ;;
  reset) remove_host "${2:?host index}"; build_base; client_key; start_host "$2"; wait_ready "$2"; write_inventory ;;
  status) cmd_status ;;
  exec) shift; cmd_exec "$@" ;;
  tmpfs) cmd_tmpfs "${2:?host index}" "${3:?path}" "${4:?size or off}" ;;
  behind) cmd_behind "${2:?host index}" "${3:?bastion host index or -}" ;;
  base) build_base ;;
  base-dir) build_base; echo "$BASE_ROOT" ;;
  exec-prefix) cmd_exec_prefix "${2:?host index}" ;;
  ip) host_ip "${2:?host index}" ;;
  snapshot) cmd_snapshot "${2:?host index}" "${3:?snapshot name}" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 64 ;;
esac
