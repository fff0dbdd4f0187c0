#!/bin/bash
# Swarm Lab node entrypoint, like docker:dind's: prepares mounts and cgroups, then runs dockerd.
# Arguments = extra dockerd flags (or a command: if $1 is not a flag and is an
# executable, it is exec'd instead, like docker:dind does).
set -e

log() { echo "[swarm-lab] $*" >&2; }

if [ "$#" -gt 0 ] && [ "${1#-}" = "$1" ] && command -v "$1" >/dev/null 2>&1 && [ "$1" != dockerd ]; then
	exec "$@"
fi
[ "${1:-}" = dockerd ] && shift

# --- mounts (same as moby hack/dind) ---------------------------------------
if [ -d /sys/kernel/security ] && ! mountpoint -q /sys/kernel/security; then
	mount -t securityfs none /sys/kernel/security 2>/dev/null || log "could not mount securityfs (ok)"
fi
if ! mountpoint -q /tmp; then
	mount -t tmpfs -o mode=1777 none /tmp || true
fi
# /sys must be rw for dockerd (bridge sysctls); remount if docker gave us ro /sys
if ! touch /sys/.swarm-lab-rw-test 2>/dev/null && grep -qE '^sysfs /sys sysfs ro' /proc/mounts; then
	mount -o remount,rw /sys 2>/dev/null || log "WARNING: /sys is read-only"
fi

# --- cgroups ---------------------------------------------------------------
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	# cgroup v2: move ourselves to a leaf so subtree_control can be written
	mkdir -p /sys/fs/cgroup/init
	xargs -rn1 </sys/fs/cgroup/cgroup.procs >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
	sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers >/sys/fs/cgroup/cgroup.subtree_control || :
else
	# cgroup v1. Docker (non-privileged) mounts each hierarchy read-only.
	# With --cgroupns=private the fresh mounts below show only our own subtree,
	# so the inner engine nests under the node's cgroup (limits + docker stats).
	mountpoint -q /sys/fs/cgroup || mount -t tmpfs -o mode=755 cgroup /sys/fs/cgroup
	mount -o remount,rw /sys/fs/cgroup 2>/dev/null || :
	while IFS=: read -r _ ctrls _; do
		[ -n "$ctrls" ] || continue   # v2 line "0::/"
		dir=${ctrls#name=}
		opts=$ctrls
		mkdir -p "/sys/fs/cgroup/$dir" 2>/dev/null || :
		if mountpoint -q "/sys/fs/cgroup/$dir"; then
			if ! touch "/sys/fs/cgroup/$dir/.rwtest" 2>/dev/null; then
				umount "/sys/fs/cgroup/$dir" 2>/dev/null || umount -l "/sys/fs/cgroup/$dir" || :
				mount -t cgroup -o "$opts" cgroup "/sys/fs/cgroup/$dir" || log "cannot mount cgroup $ctrls rw"
			else
				rm -f "/sys/fs/cgroup/$dir/.rwtest" 2>/dev/null || :
			fi
		else
			mount -t cgroup -o "$opts" cgroup "/sys/fs/cgroup/$dir" || log "cannot mount cgroup $ctrls"
		fi
	done </proc/self/cgroup
	# compat symlinks for comounted hierarchies (cpu,cpuacct)
	for d in /sys/fs/cgroup/*,*; do
		[ -d "$d" ] || continue
		for c in $(basename "$d" | tr , ' '); do [ -e "/sys/fs/cgroup/$c" ] || ln -s "$(basename "$d")" "/sys/fs/cgroup/$c"; done
	done
fi

# --- optional sshd ----------------------------------------------------------
if [ "${SWARM_LAB_SSHD:-0}" = 1 ]; then
	mkdir -p /run/sshd
	ssh-keygen -A >/dev/null 2>&1 || :
	if [ -n "${SWARM_LAB_SSH_PUBKEY:-}" ]; then
		mkdir -p /root/.ssh && chmod 700 /root/.ssh
		echo "$SWARM_LAB_SSH_PUBKEY" >>/root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys
	fi
	/usr/sbin/sshd -e && log "sshd started"
fi

# --- optional iptables backend override -------------------------------------
case "${SWARM_LAB_IPTABLES:-}" in
	legacy) update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null; update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null ;;
	nft) update-alternatives --set iptables /usr/sbin/iptables-nft >/dev/null; update-alternatives --set ip6tables /usr/sbin/ip6tables-nft >/dev/null ;;
esac

# cgroup v1 with --cgroupns=host (not recommended): nest inner containers under
# our own cgroup instead of next to the host's containers.
extra=()
if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
	own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup)
	if [ -n "$own" ] && [ "$own" != / ] && ! printf '%s\n' "$@" | grep -q -- '--cgroup-parent'; then
		log "host cgroup namespace detected ($own); use --cgroupns=private. Nesting via --cgroup-parent=$own/inner"
		extra+=("--cgroup-parent=$own/inner")
	fi
fi

rm -f /var/run/docker.pid /run/docker/containerd/containerd.pid 2>/dev/null || :
# Unix socket only: a TCP listener without --tls=false makes dockerd sleep 15 s at start.
# dockerd runs under this shell so that the "restart-daemon" fault can restart it without stopping
# the node: touch /run/swarm-lab/restart-daemon, then signal dockerd.
mkdir -p /run/swarm-lab
pid=
trap 'rm -f /run/swarm-lab/restart-daemon; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; exit 0' TERM INT
while :; do
	dockerd --host=unix:///var/run/docker.sock "${extra[@]}" "$@" &
	pid=$!
	echo "$pid" >/run/swarm-lab/dockerd.pid
	set +e
	wait "$pid"
	rc=$?
	set -e
	if [ -f /run/swarm-lab/restart-daemon ]; then
		rm -f /run/swarm-lab/restart-daemon /var/run/docker.pid
		log "restarting dockerd"
		continue
	fi
	exit "$rc"
done
