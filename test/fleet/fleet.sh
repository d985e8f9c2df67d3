#!/usr/bin/env bash
# The container fleet: real Debian 12 (bookworm) and Debian 13 (trixie) hosts on this
# one machine, no Docker.
#
# Each host is an overlay over its release's shared Debian base (built once per release
# by mmdebstrap and cached), with its own network namespace (a veth pair and a private /30), and its own
# pid/mount/uts/ipc namespaces whose first process is OpenSSH's sshd. The hosts have no
# route out: they install packages from an offline apt repository baked into the base.
#
#   fleet.sh up N [--release R] [--release R:I-J]…   start hosts 1..N (those not running
#                        yet) on release R (bookworm, the default, or trixie), hosts I..J
#                        on R; write the inventory (groups bookworm and trixie)
#   fleet.sh stop I      kill host I's processes (it becomes unreachable), keep its disk
#   fleet.sh start I     start host I again (same disk, same address, same host key)
#   fleet.sh reset I     wipe host I back to the pristine base (of its release) and start it
#   fleet.sh down        stop every host, unmount, delete namespaces and links
#   fleet.sh status      list hosts and whether sshd answers
#   fleet.sh exec I CMD  run a command inside host I (as its root), for tests
#   fleet.sh tmpfs I PATH SIZE|off   a small filesystem at PATH in host I (tests)
#   fleet.sh behind T B|-  host T reachable only through host B (a bastion), or again directly
#   fleet.sh base [--release R]      only build (or reuse) the cached base of release R
#   fleet.sh base-dir [--release R]  build (or reuse) that base and print its root directory
#   fleet.sh release I   the release host I runs (or was last started with)
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
RELEASES="bookworm trixie"
DEFAULT_RELEASE=bookworm

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

check_release() {
  case " $RELEASES " in *" $1 "*) ;; *) die "unknown release '$1' (one of: $RELEASES)" ;; esac
}
release_number() { case $1 in bookworm) echo 12 ;; trixie) echo 13 ;; esac; }

# The recipe's key, and the release's name in it (bookworm's key is the one it had
# before releases, so an existing cache stays valid).
base_key() {
  local extra=""; [ "$1" = bookworm ] || extra="|$1"
  printf '%s|%s|%s|%s%s' "$BASE_VERSION" "$BASE_PACKAGES" "$REPO_PACKAGES" "$MINIMAL_MISSING" "$extra" | sha256sum | cut -c1-12
}
base_root() {
  if [ "$1" = bookworm ]; then echo "$CACHE_DIR/base-$(base_key "$1")"; else echo "$CACHE_DIR/base-$1-$(base_key "$1")"; fi
}

# Build the base once: a Debian rootfs with sshd, an offline repo of REPO_PACKAGES'
# closure, and the settings every host shares. Built in a temp dir, renamed when done,
# so an interrupted build never leaves a half base behind.
# Two builds of one release at once (two developers, or `base` beside `up`) take turns:
# the second finds the first's base done.
build_base() {
  local release=${1:-$DEFAULT_RELEASE} BASE_ROOT
  check_release "$release"
  BASE_ROOT=$(base_root "$release")
  [ -f "$BASE_ROOT/.complete" ] && return 0
  ensure_tools
  mkdir -p "$CACHE_DIR"
  exec 8>"$BASE_ROOT.lock"
  flock 8
  if [ -f "$BASE_ROOT/.complete" ]; then flock -u 8; return 0; fi
  local tmp="$BASE_ROOT.tmp.$$"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "building the Debian $(release_number "$release") ($release) base (mmdebstrap, about a minute)"
  mmdebstrap --quiet --variant=apt --include="$BASE_PACKAGES" "$release" "$tmp/rootfs.tar" \
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
  flock -u 8
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

# The release host I was started with (kept beside its disk), else the default.
host_release() {
  local f; f="$(host_dir "$1")/release"
  if [ -f "$f" ]; then cat "$f"; else echo "$DEFAULT_RELEASE"; fi
}

prepare_host_disk() {
  local i=$1 release=$2 d; d=$(host_dir "$i")
  local name; name=$(host_name "$i")
  mkdir -p "$d/upper" "$d/work" "$d/root"
  # A host keeps its release while its disk lives: a disk made on one base never goes
  # over another.
  if [ -f "$d/release" ] && [ "$(cat "$d/release")" != "$release" ]; then
    die "$name has a $(cat "$d/release") disk; \`fleet.sh reset $i\` or \`down\` it before starting it on $release"
  fi
  echo "$release" > "$d/release"
  local BASE_ROOT; BASE_ROOT=$(base_root "$release")
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
  local i=$1 release=${2:-}
  running "$i" && return 0
  [ -n "$release" ] || release=$(host_release "$i")
  build_base "$release"
  prepare_host_disk "$i" "$release"
  setup_net "$i"
  local ns r; ns=$(host_name "$i"); r="$(host_dir "$i")/root"
  # The first process of the host's pid namespace is sh, which execs chroot, which
  # execs sshd: sshd is PID 1 and reaps the daemons that tasks start. The host gets no
  # descriptor of ours beyond 0–2: one open on /var/tmp/tend-fleet.lock (`flock LOCK
  # fleet.sh up …`) would hold the fleet's lock for as long as the host lives.
  (
    for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    exec ip netns exec "$ns" unshare --pid --fork --mount --uts --ipc --mount-proc="$r/proc" \
      sh -c 'mount --rbind /dev "$1/dev" && hostname "$2" && exec chroot "$1" /usr/sbin/sshd -D -e' \
      sh "$r" "$ns"
  ) >"$(host_dir "$i")/sshd.log" 2>&1 </dev/null &
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
    # A group per release, for --limit trixie and the like.
    local r members
    echo "  children:"
    for r in $RELEASES; do
      members=()
      for i in "${all[@]}"; do [ "$(host_release "$i")" = "$r" ] && members+=("$i"); done
      echo "    $r:"
      [ ${#members[@]} -gt 0 ] || continue
      echo "      hosts:"
      for i in "${members[@]}"; do echo "        $(host_name "$i"):"; done
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

# --release R (every host started now) and --release R:I-J or R:I (those hosts), in
# any number; a later one wins where they overlap. Sets RELEASE_OF[i] for 1..N.
declare -A RELEASE_OF=()
parse_releases() {
  local n=$1; shift
  local default=$DEFAULT_RELEASE spec r range from to i ranged=()
  while [ $# -gt 0 ]; do
    case $1 in
      --release) spec=${2:?--release needs a value}; shift 2 ;;
      --release=*) spec=${1#--release=}; shift ;;
      *) die "unknown option '$1' (fleet.sh up N [--release R] [--release R:I-J]…)" ;;
    esac
    r=${spec%%:*}; check_release "$r"
    if [ "$r" = "$spec" ]; then default=$r; else ranged+=("$spec"); fi
  done
  for i in $(seq 1 "$n"); do RELEASE_OF[$i]=$default; done
  for spec in ${ranged[@]+"${ranged[@]}"}; do
    r=${spec%%:*}; range=${spec#*:}
    [[ $range =~ ^([0-9]+)(-([0-9]+))?$ ]] || die "--release $spec: expected R:I or R:I-J"
    from=${BASH_REMATCH[1]}; to=${BASH_REMATCH[3]:-$from}
    for i in $(seq "$from" "$to"); do [ "$i" -le "$n" ] && RELEASE_OF[$i]=$r; done
  done
}

cmd_up() {
  local n=${1:?usage: fleet.sh up N [--release R] [--release R:I-J]…}; shift
  [[ $n =~ ^[0-9]+$ ]] || die "up: N must be a number, not '$n'"
  parse_releases "$n" "$@"
  client_key
  # Each release's base is built (or found) before any host starts; two missing bases
  # are built side by side (mostly waiting on the mirror).
  local i r started=() counts="" builders=()
  for r in $(printf '%s\n' "${RELEASE_OF[@]}" | sort -u); do
    [ -f "$(base_root "$r")/.complete" ] || { build_base "$r" & builders+=($!); }
  done
  for i in ${builders[@]+"${builders[@]}"}; do wait "$i" || die "building a base failed"; done
  for i in $(seq 1 "$n"); do
    if running "$i"; then
      [ "$(host_release "$i")" = "${RELEASE_OF[$i]}" ] ||
        log "$(host_name "$i") is already running $(host_release "$i"), not ${RELEASE_OF[$i]}: left as it is"
    else
      start_host "$i" "${RELEASE_OF[$i]}"; started+=("$i")
    fi
  done
  [ ${#started[@]} -gt 0 ] && wait_ready "${started[@]}"
  write_inventory
  for r in $RELEASES; do
    local c=0
    for i in $(seq 1 "$n"); do [ "$(host_release "$i")" = "$r" ] && c=$((c + 1)); done
    [ $c -eq 0 ] || counts="$counts $c $r"
  done
  log "$n host(s) up:$counts. Inventory: $FLEET_DIR/inventory.yml  known_hosts: $FLEET_DIR/known_hosts"
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
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  stop) stop_host "${2:?host index}" ;;
  start) client_key; start_host "${2:?host index}"; wait_ready "$2"; write_inventory ;;
  reset) r=$(host_release "${2:?host index}"); remove_host "$2"; client_key; start_host "$2" "$r"; wait_ready "$2"; write_inventory ;;
  status) cmd_status ;;
  exec) shift; cmd_exec "$@" ;;
  tmpfs) cmd_tmpfs "${2:?host index}" "${3:?path}" "${4:?size or off}" ;;
  behind) cmd_behind "${2:?host index}" "${3:?bastion host index or -}" ;;
  base|base-dir)
    what=$1; shift; parse_releases 1 "$@"; build_base "${RELEASE_OF[1]}"
    [ "$what" = base ] || base_root "${RELEASE_OF[1]}" ;;
  release) host_release "${2:?host index}" ;;
  exec-prefix) cmd_exec_prefix "${2:?host index}" ;;
  ip) host_ip "${2:?host index}" ;;
  snapshot) cmd_snapshot "${2:?host index}" "${3:?snapshot name}" ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 64 ;;
esac
