#!/usr/bin/env bash
# The lab node image, built offline from Debian packages: debootstrap → trim → docker import.
#   build-offline.sh IMAGE VERSION
# The debootstrapped root filesystem is cached under $CACHE_DIR, keyed on the package list and this
# recipe, so a rebuild (e.g. a new entrypoint) takes seconds.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
IMAGE=${1:?usage: build-offline.sh IMAGE VERSION}
VERSION=${2:?usage: build-offline.sh IMAGE VERSION}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
need_tools debootstrap docker tar sha256sum

PACKAGES=(
	docker.io containerd runc tini iptables
	bash bash-completion curl ca-certificates jq iproute2 vim-tiny nano
	openssh-server procps xz-utils pigz kmod less iputils-ping netcat-openbsd
)
RECIPE=5 # bump when the trimming below changes
key=$(printf '%s\n' "$SUITE" "$MIRROR" "$RECIPE" "${PACKAGES[@]}" | sha256sum | cut -c1-16)
base_tar="$CACHE_DIR/node-rootfs-$SUITE-$key.tar"
t0=$(date +%s)

if [ -f "$base_tar" ]; then
	say "using the cached root filesystem ($base_tar)"
else
	work=$(mktemp -d /var/tmp/swarm-lab-node.XXXXXX)
	trap 'rm -rf "$work"' EXIT
	say "debootstrap $SUITE with ${#PACKAGES[@]} packages (about a minute)"
	include=$(IFS=,; echo "${PACKAGES[*]}")
	mkdir -p "$CACHE_DIR/debs"
	debootstrap --variant=minbase --include="$include" --cache-dir="$CACHE_DIR/debs" \
		"$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
		{ tail -30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
	say "debootstrap done in $(( $(date +%s) - t0 )) s; trimming"
	R="$work/rootfs"
	cat >"$R/etc/apt/sources.list" <<-EOS
		deb $MIRROR $SUITE main
		deb $MIRROR $SUITE-updates main
		deb http://deb.debian.org/debian-security $SUITE-security main
	EOS
	cat >>"$R/root/.bashrc" <<-'EOS'
		[ -f /usr/share/bash-completion/bash_completion ] && . /usr/share/bash-completion/bash_completion
		PS1='\h:\w\$ '
	EOS
	# sshd stays off unless a lab asks for it; host keys are made per node.
	sed -i 's/^#\?PermitRootLogin.*/PermitRootLogin prohibit-password/' "$R/etc/ssh/sshd_config"
	rm -f "$R/usr/sbin/policy-rc.d"
	: >"$R/etc/machine-id"
	# Test tools and legacy shims dockerd 20.10 does not use.
	rm -f "$R"/usr/bin/dnet "$R"/usr/sbin/ovrouter "$R"/usr/bin/ctr "$R"/usr/bin/containerd-shim "$R"/usr/bin/containerd-shim-runc-v1
	find "$R"/usr/lib/*-linux-gnu/gconv -type f ! -name 'gconv-modules*' ! -name 'UTF-*' -delete 2>/dev/null || :
	chroot "$R" apt-get clean
	rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/var/cache/debconf/*-old "$R"/var/log/* \
		"$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/info/* "$R"/usr/share/lintian \
		"$R"/var/cache/man/* "$R"/usr/share/locale/* "$R"/usr/share/i18n "$R"/tmp/* "$R"/var/tmp/* \
		"$R"/etc/ssh/ssh_host_* "$R"/root/.bash_history
	cat >"$R/etc/dpkg/dpkg.cfg.d/01-swarm-lab-nodoc" <<-'EOS'
		path-exclude /usr/share/doc/*
		path-exclude /usr/share/man/*
		path-exclude /usr/share/info/*
		path-exclude /usr/share/locale/*
	EOS
	say "root filesystem: $(du -sh "$R" | cut -f1)"
	tar --numeric-owner --xattrs -C "$R" -cf "$base_tar.tmp" .
	mv "$base_tar.tmp" "$base_tar"
	rm -rf "$work"
	trap - EXIT
fi

# The entrypoint goes on top of a copy of the cached tar.
ov=$(mktemp -d /var/tmp/swarm-lab-ov.XXXXXX)
trap 'rm -rf "$ov"' EXIT
mkdir -p "$ov/usr/local/bin"
install -m 0755 "$HERE/entrypoint.sh" "$ov/usr/local/bin/swarm-lab-entrypoint"
cp "$base_tar" "$ov/image.tar"
tar --numeric-owner --owner=0 --group=0 -C "$ov" -rf "$ov/image.tar" ./usr/local/bin/swarm-lab-entrypoint
say "importing $IMAGE"
docker import \
	--change 'ENTRYPOINT ["/usr/bin/tini", "-g", "--", "/usr/local/bin/swarm-lab-entrypoint"]' \
	--change 'CMD []' \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'ENV container=docker' \
	--change 'VOLUME /var/lib/docker' \
	--change "LABEL io.swarmlab.image=node io.swarmlab.version=$VERSION io.swarmlab.build=offline" \
	--message "Swarm Lab node image $VERSION ($SUITE)" \
	"$ov/image.tar" "$IMAGE" >/dev/null
say "built $IMAGE in $(( $(date +%s) - t0 )) s ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1e6}'))"
