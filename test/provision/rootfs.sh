# shellcheck shell=bash
# Debian root trees for the local images (test/images) and the native PostgreSQL (servers/postgres.sh):
# `debootstrap --variant=minbase SUITE` (cached as a tarball per suite), then `chroot apt-get install` of the
# packages, from the mirror this machine's apt sources name. Source after lib.sh; run as root.

ROOTFS_CACHE="$APEX_CACHE/images"
ROOTFS_MOUNTS=()
ROOTFS_TMPDIRS=()

rootfs_umount_all() {
  local m
  for m in "${ROOTFS_MOUNTS[@]}"; do umount -l "$m" 2>/dev/null || true; done
  ROOTFS_MOUNTS=()
}

# Unmounts and removes what an interrupted build left; the sourcing script calls it on EXIT.
rootfs_cleanup() {
  rootfs_umount_all
  local d
  for d in "${ROOTFS_TMPDIRS[@]}"; do [ -n "$d" ] && rm -rf "$d"; done
  ROOTFS_TMPDIRS=()
}

rootfs_mount_proc() {
  mount -t proc proc "$1/proc"; ROOTFS_MOUNTS+=("$1/proc")
}

# The sources.list of SUITE: this machine's mirror, plus its security mirror when it has one.
rootfs_sources() {
  local suite=$1 mirror sec
  mirror=$(apt_mirror)
  sec=$(awk '/^URIs:/ && $2 ~ /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  echo "deb $mirror $suite main"
  echo "deb $mirror $suite-updates main"
  if [ -n "$sec" ]; then echo "deb $sec $suite-security main"; fi
}

# minbase_tar SUITE: prints the cached debootstrap output of SUITE, building it first when missing.
minbase_tar() {
  local suite=$1 tar dir mirror
  tar="$ROOTFS_CACHE/$suite-minbase.tar"
  if [ ! -s "$tar" ]; then
    ensure_pkgs debootstrap tar
    mkdir -p "$ROOTFS_CACHE"
    mirror=$(apt_mirror)
    dir=$(mktemp -d "$ROOTFS_CACHE/debootstrap.XXXXXX"); ROOTFS_TMPDIRS+=("$dir")
    log "debootstrap --variant=minbase $suite ($mirror)"
    debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$APEX_LOGS/debootstrap-$suite.log" 2>&1 \
      || { show_log_tail "$APEX_LOGS/debootstrap-$suite.log"; rm -rf "$dir"; die "debootstrap $suite failed"; }
    ROOTFS_TMPDIRS+=("$tar.$$.tmp")
    tar --numeric-owner -C "$dir" -cf "$tar.$$.tmp" . && mv -f "$tar.$$.tmp" "$tar"
    rm -rf "$dir"
  fi
  printf '%s\n' "$tar"
}

# rootfs_install SUITE DIR PKGS...: fills the empty DIR with minbase SUITE plus PKGS (no recommends, no docs, man
# pages or locales; maintainer scripts start no service).
rootfs_install() {
  local suite=$1 dir=$2 base; shift 2
  base=$(minbase_tar "$suite")
  log "chroot apt-get install ($suite) $*"
  tar --numeric-owner -C "$dir" -xf "$base"
  chmod 755 "$dir"   # (a mktemp directory is 0700; the tree's users must reach its root)
  rootfs_sources "$suite" >"$dir/etc/apt/sources.list"
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"; chmod +x "$dir/usr/sbin/policy-rc.d"
  mkdir -p "$dir/etc/dpkg/dpkg.cfg.d"
  cat >"$dir/etc/dpkg/dpkg.cfg.d/01-apex-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/javascript/moment-timezone/data/*
EOF
  rootfs_mount_proc "$dir"
  mount --bind /dev/pts "$dir/dev/pts"; ROOTFS_MOUNTS+=("$dir/dev/pts")
  # openjdk's postinst wants the man dirs to exist
  mkdir -p "$dir"/usr/share/man/man1
  if ! chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $* && apt-get clean" \
      </dev/null >"$APEX_LOGS/rootfs-apt-$suite.log" 2>&1; then
    rootfs_umount_all; show_log_tail "$APEX_LOGS/rootfs-apt-$suite.log"; die "chroot apt-get install ($suite) failed"
  fi
  rootfs_umount_all
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/log/apt/* "$dir"/var/log/dpkg.log \
    "$dir"/usr/sbin/policy-rc.d "$dir"/usr/share/doc/*/changelog* "$dir"/root/.cache
  : >"$dir/etc/resolv.conf"
}

# The packages and the cached trixie tree PostgreSQL runs from, natively (servers/postgres.sh) and in the
# apex-local/postgres image (test/images/build-images.sh). Its path changes with the packages and the mirror.
POSTGRES_PKGS=("postgresql-$POSTGRES_MAJOR" "postgresql-$POSTGRES_MAJOR-pgvector")
postgres_tree() {
  printf '%s/postgres/trixie-%s\n' "$APEX_CACHE" "$(echo "v1 ${POSTGRES_PKGS[*]} $(apt_mirror)" | sha256sum | cut -c1-12)"
}
