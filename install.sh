#!/bin/sh
# Installs talkfeed's release binary for this machine:
#
#   curl -fsSL https://github.com/talkfeed/talkfeed/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --to ./bin --version 0.1.0
#
# It picks the archive for this OS and processor (Linux: the static musl
# build, which runs on any distribution; macOS: x86_64 or arm64), downloads
# it and its .sha256, refuses it if the checksum does not match, checks that
# the binary runs here, then moves it into place in one rename, so an
# interrupted or failed install leaves the previous talkfeed (or none) as it
# was. Every failure is one line on standard error and a non-zero exit.
#
# TALKFEED_DOWNLOAD_URL replaces the folder the archives are downloaded from
# (a mirror, or a test server); by default it is the GitHub release of
# --version, or the latest release.
set -eu

repo=https://github.com/talkfeed/talkfeed
to=
version=latest
tmp=
staged=
created=

usage() {
  cat <<EOF
install.sh: install talkfeed's release binary

usage: install.sh [--to DIR] [--version VERSION]

  --to DIR           install into DIR (default: ~/.local/bin)
  --version VERSION  install this release, e.g. 0.1.0 (default: the latest)
  -h, --help         print this help

TALKFEED_DOWNLOAD_URL=URL downloads the archives from the folder URL instead
of $repo/releases.
EOF
}

die() {
  printf 'install.sh: %s\n' "$*" >&2
  exit 1
}

cleanup() {
  [ -n "$staged" ] && rm -f "$staged"
  # A folder made for a talkfeed that was not installed goes too.
  [ -n "$created" ] && rmdir "$created" 2>/dev/null
  [ -n "$tmp" ] && rm -rf "$tmp"
  return 0
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap cleans up.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

while [ $# -gt 0 ]; do
  case $1 in
    --to)
      [ $# -ge 2 ] || die "--to needs a folder"
      to=$2
      shift 2
      ;;
    --to=*)
      to=${1#--to=}
      shift
      ;;
    --version)
      [ $# -ge 2 ] || die "--version needs a version, e.g. 0.1.0"
      version=$2
      shift 2
      ;;
    --version=*)
      version=${1#--version=}
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      printf 'install.sh: unknown argument %s (try --help)\n' "$1" >&2
      exit 2
      ;;
  esac
done

version=${version#v}
case $version in
  latest) ;;
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) die "--version $version: not a version like 0.1.0" ;;
esac
if [ -z "$to" ]; then
  [ -n "${HOME:-}" ] || die "HOME is not set; say where to install with --to DIR"
  to=$HOME/.local/bin
fi

# The release's target triple for this machine.
os=$(uname -s)
arch=$(uname -m)
case $arch in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) die "no talkfeed release for the processor $arch (there are x86_64 and aarch64 builds; build from source: cargo install --locked talkfeed)" ;;
esac
case $os in
  Linux) target=$arch-unknown-linux-musl ;;
  Darwin)
    # An x86_64 shell under Rosetta on an Apple processor: take the native build.
    if [ "$arch" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
      arch=aarch64
    fi
    target=$arch-apple-darwin
    ;;
  MINGW* | MSYS* | CYGWIN* | Windows_NT)
    die "this installer does not install on Windows: download talkfeed-x86_64-pc-windows-msvc.zip from $repo/releases, or run: cargo binstall talkfeed"
    ;;
  *) die "no talkfeed release for the operating system $os (there are Linux, macOS and Windows builds; build from source: cargo install --locked talkfeed)" ;;
esac

if [ -n "${TALKFEED_DOWNLOAD_URL:-}" ]; then
  base=${TALKFEED_DOWNLOAD_URL%/}
elif [ "$version" = latest ]; then
  base=$repo/releases/latest/download
else
  base=$repo/releases/download/v$version
fi
name=talkfeed-$target
archive=$name.tar.gz

if command -v curl >/dev/null 2>&1; then
  fetch() {
    # curl's own message (one line) says why: no route, 404, TLS.
    if ! curl --fail --silent --show-error --location --proto '=https,http' --retry 2 --output "$2" "$1" 2>"$tmp/err"; then
      die "cannot download $1: $(tail -n 1 "$tmp/err")"
    fi
  }
elif command -v wget >/dev/null 2>&1; then
  fetch() {
    rc=0
    wget --quiet --tries=3 --output-document="$2" "$1" || rc=$?
    case $rc in
      0) return 0 ;;
      4) why="network failure" ;;
      5) why="TLS failure" ;;
      8) why="the server answered with an error (no such file?)" ;;
      *) why="wget exit status $rc" ;;
    esac
    die "cannot download $1: $why"
  }
else
  die "needs curl or wget to download talkfeed"
fi

if command -v sha256sum >/dev/null 2>&1; then
  sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
  sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
  die "needs sha256sum or shasum to check the download"
fi

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t talkfeed) || die "cannot create a temporary folder"

fetch "$base/$archive.sha256" "$tmp/$archive.sha256"
fetch "$base/$archive" "$tmp/$archive"
expected=$(cut -d ' ' -f 1 < "$tmp/$archive.sha256" | tr 'A-F' 'a-f')
case $expected in
  *[!0-9a-f]* | "") die "$base/$archive.sha256 is not a SHA-256 checksum file" ;;
esac
[ ${#expected} -eq 64 ] || die "$base/$archive.sha256 is not a SHA-256 checksum file"
actual=$(sha256 "$tmp/$archive")
[ "$actual" = "$expected" ] \
  || die "$archive does not match its checksum (expected $expected, got $actual); nothing installed"

mkdir "$tmp/x"
tar -xzf "$tmp/$archive" -C "$tmp/x" 2>"$tmp/err" || die "cannot unpack $archive: $(tail -n 1 "$tmp/err")"
new=$tmp/x/$name/talkfeed
[ -f "$new" ] || die "$archive holds no $name/talkfeed"

if [ ! -d "$to" ]; then
  mkdir -p "$to" 2>"$tmp/err" || die "cannot create $to: $(tail -n 1 "$tmp/err")"
  created=$to
fi
# Copy beside the destination, then rename: the old binary is replaced in one
# step, and a half-copied file never has the name talkfeed.
staged=$to/.talkfeed.install.$$
cp "$new" "$staged" 2>"$tmp/err" || die "cannot write into $to: $(tail -n 1 "$tmp/err")"
chmod 755 "$staged" || die "cannot make $staged executable"
# It must run here before it replaces anything (run from $to, not from the
# temporary folder, which may be mounted noexec).
got=$("$staged" --version 2>"$tmp/err") || die "the downloaded talkfeed does not run on this machine: $(tail -n 1 "$tmp/err"); nothing installed"
if [ "$version" != latest ]; then
  case $got in
    "talkfeed $version "*) ;;
    *) die "asked for talkfeed $version, but $base/$archive is $got; nothing installed" ;;
  esac
fi
mv -f "$staged" "$to/talkfeed" 2>"$tmp/err" || die "cannot install into $to: $(tail -n 1 "$tmp/err")"
staged=
created=

installed=$("$to/talkfeed" --version) || die "$to/talkfeed was installed but does not run"
echo "installed $installed to $to/talkfeed"
case ":${PATH:-}:" in
  *":$to:"*) ;;
  *) echo "note: $to is not on your PATH; add it, e.g.: export PATH=\"$to:\$PATH\"" ;;
esac
