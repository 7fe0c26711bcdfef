#!/usr/bin/env bash
# Builds kofu's container base image without a Docker daemon or a registry, the way distroless
# does: glibc from Debian's own packages (apt-get download + dpkg-deb -x, never installed), a
# Java runtime jlinked from the JDK that runs the build, a non-root user (nonroot, 65532), and
# nothing else: no shell, no package manager. Written as a `docker save` tarball, which Jib takes
# as its base image (from.image = tar://...). The images' own layers (kofu's jars) are Jib's.
#
#   deploy/image/base-image.sh OUT.tar JAVA_HOME
#
# Needs apt-get and dpkg-deb (a Debian or Ubuntu host) and a JDK 21+ with jlink. The result is
# reproducible for the same packages and JDK (sorted entries, epoch timestamps); when OUT.tar was
# made from the same inputs, nothing is done.
set -euo pipefail

out="$1"
java_home="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Debian packages: glibc (libc, libm, libpthread, the dynamic loader, NSS for files and DNS) and
# /etc/services and /etc/protocols. The JDK brings its own zlib, freetype, time-zone data and CA
# certificates (kofu trusts only the anchors its configuration names anyway).
packages=(libc6 netbase)

# The Java modules kofu uses (jdeps --print-module-deps over cli/target/lib), plus the Japanese
# locale data and charsets (jdk.localedata, jdk.charsets) and DNS naming.
modules=java.base,java.compiler,java.desktop,java.instrument,java.naming,java.net.http,java.scripting
modules+=,java.security.jgss,java.sql,jdk.httpserver,jdk.jfr,jdk.management,jdk.net,jdk.unsupported
modules+=,jdk.localedata,jdk.charsets,jdk.naming.dns,jdk.zipfs

inputs="$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1) $("$java_home/bin/java" -version 2>&1 | head -1)"
if [ -f "$out" ] && [ "$(cat "$out.inputs" 2>/dev/null)" = "$inputs" ]; then
  echo "base image $out is up to date"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$work/debs" "$root" "$work/image"

download() { (cd "$work/debs" && apt-get download -qq "${packages[@]}" 2>/dev/null); }
if ! download; then
  # A fresh machine may not have package lists yet.
  if [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null && download; else
    echo "base-image: apt-get download ${packages[*]} failed (run apt-get update first)" >&2; exit 1
  fi
fi
for deb in "$work"/debs/*.deb; do
  dpkg-deb -x "$deb" "$root"
done
versions="$(cd "$work/debs" && ls | sed 's/\.deb$//' | tr '\n' ' ')"

# Keep each package's copyright (its licence), drop the rest of the documentation, and iconv's
# converters (Java does not use them).
find "$root/usr/share/doc" -type f ! -name copyright -delete
rm -rf "$root/usr/share/lintian" "$root/usr/share/man" "$root/usr/lib/x86_64-linux-gnu/gconv"

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-0 --output "$root/opt/java/openjdk"

mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot"
chmod 1777 "$root/tmp"
chmod 0700 "$root/home/nonroot"
cat >"$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat >"$root/etc/group" <<'GROUP'
root:x:0:
nobody:x:65534:
nonroot:x:65532:
GROUP
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
cat >"$root/etc/os-release" <<OSRELEASE
PRETTY_NAME="kofu base (Debian packages: $versions)"
ID=kofu-base
OSRELEASE

# One layer: everything owned by root, but the home of nonroot.
tar_opts=(--sort=name --mtime=@0 --numeric-owner --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
(cd "$root" && tar "${tar_opts[@]}" --owner=0 --group=0 --exclude=./home/nonroot -cf "$work/image/layer.tar" .)
(cd "$root" && tar "${tar_opts[@]}" --owner=65532 --group=65532 -rf "$work/image/layer.tar" ./home/nonroot)
diff_id="sha256:$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)"

cat >"$work/image/config.json" <<CONFIG
{"architecture":"amd64","os":"linux",
 "config":{"User":"65532:65532","WorkingDir":"/home/nonroot",
  "Env":["PATH=/opt/java/openjdk/bin:/usr/bin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8","HOME=/home/nonroot"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/base-image.sh: $versions+ jlink of $("$java_home/bin/java" -version 2>&1 | head -1 | tr -d '"')"}]}
CONFIG
printf '[{"Config":"config.json","RepoTags":["kofu-base:latest"],"Layers":["layer.tar"]}]\n' >"$work/image/manifest.json"

mkdir -p "$(dirname "$out")"
(cd "$work/image" && tar "${tar_opts[@]}" --owner=0 --group=0 -cf "$out.tmp" manifest.json config.json layer.tar)
mv "$out.tmp" "$out"
echo "$inputs" >"$out.inputs"
echo "base image $out: $(du -h "$out" | cut -f1), $versions"
