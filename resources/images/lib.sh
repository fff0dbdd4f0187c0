# Shared helpers for the offline image recipes (sourced, not run). Offline means: built from Debian
# packages on this machine, with no container registry at all.
#   CACHE_DIR  where downloaded packages and base root filesystems are kept between builds
set -euo pipefail
CACHE_DIR=${CACHE_DIR:-/var/cache/swarm-lab}
mkdir -p "$CACHE_DIR/pkgs"

say() { echo ">> $*"; }
die() { echo "error: $*" >&2; exit 1; }

need_tools() {
	for t in "$@"; do command -v "$t" >/dev/null 2>&1 || die "$t is needed to build images offline (Debian: apt-get install $t)"; done
}

# fetch PKG: the path of the package's .deb, downloaded once into the cache.
fetch() {
	local deb
	deb=$(ls "$CACHE_DIR/pkgs/$1"_*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		if ! (cd "$CACHE_DIR/pkgs" && apt-get download "$1" >/dev/null 2>&1); then
			say "refreshing the package lists"
			apt-get update -qq >/dev/null 2>&1 || true
			(cd "$CACHE_DIR/pkgs" && apt-get download "$1" >/dev/null) || die "could not download the Debian package $1"
		fi
		deb=$(ls "$CACHE_DIR/pkgs/$1"_*.deb | head -1)
	fi
	echo "$deb"
}

# busybox_root DIR: a minimal filesystem of busybox-static and its applets.
busybox_root() {
	local R=$1 tmp
	tmp=$(mktemp -d)
	dpkg-deb -x "$(fetch busybox-static)" "$tmp"
	mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,var/run,root,proc,sys,dev}
	chmod 1777 "$R/tmp"
	cp "$tmp/bin/busybox" "$R/bin/busybox"
	rm -rf "$tmp"
	local a
	for a in $("$R/bin/busybox" --list-full); do
		[ -e "$R/$a" ] || ln -s /bin/busybox "$R/$a"
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$R/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$R/etc/group"
	echo 'hosts: files dns' >"$R/etc/nsswitch.conf"
}

# import_dir DIR IMAGE CHANGE...: docker import of a directory with Dockerfile-style changes.
import_dir() {
	local R=$1 img=$2
	shift 2
	local ch=() c
	for c in "$@"; do ch+=(--change "$c"); done
	tar --numeric-owner --owner=0 --group=0 -C "$R" -c . | docker import "${ch[@]}" - "$img" >/dev/null
	say "built $img ($(docker image inspect -f '{{.Size}}' "$img" | awk '{printf "%.1f MB", $1/1e6}'))"
}
