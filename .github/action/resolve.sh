#!/usr/bin/env bash
# The first step of the talkfeed action (action.yml): which talkfeed to
# install, and where. Sets the outputs
#
#   version  a release version (0.1.0), or "source" to build the action's own checkout
#   dir      the folder the binary goes into (cached between runs by version)
#
# from INPUT_VERSION; empty means the action's own version:
#
#   @v0.1.0         the tag's version, 0.1.0
#   @v1, @v1.2      a major or minor tag, moved to each release by the release
#                   workflow: the version in the action's own Cargo.toml
#   @main, @SHA     the latest release (a branch may be ahead of any release)
#
# "latest" is looked up, so the cache key names a real version.
set -euo pipefail

requested=${INPUT_VERSION:-}
if [ -z "$requested" ]; then
  # github.action_ref is empty in composite actions on some runners; the
  # action's folder (…/_actions/OWNER/REPO/REF) names the ref too.
  ref=${ACTION_REF:-}
  [ -n "$ref" ] || ref=$(basename "${GITHUB_ACTION_PATH:-}")
  if [[ $ref =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    requested=$ref
  elif [[ $ref =~ ^v[0-9]+(\.[0-9]+)?$ ]] && [ -f "${GITHUB_ACTION_PATH:-}/Cargo.toml" ]; then
    requested=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$GITHUB_ACTION_PATH/Cargo.toml" | head -n 1)
  else
    requested=latest
  fi
fi
requested=${requested#v}

case $requested in
  source) version=source ;;
  latest)
    # The releases/latest page redirects to the newest release's tag.
    tag_url=$(curl --fail --silent --show-error --location --head --output /dev/null \
      --write-out '%{url_effective}' https://github.com/talkfeed/talkfeed/releases/latest) \
      || { echo "::error title=talkfeed action::cannot find the latest talkfeed release"; exit 1; }
    version=${tag_url##*/v}
    ;;
  *) version=$requested ;;
esac
if [ "$version" != source ] && ! [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "::error title=talkfeed action::version: '$requested' is not a release version (like 0.1.0), latest or source"
  exit 1
fi
if [ "$version" != source ] && [ "${RUNNER_OS:-}" = Windows ]; then
  echo "::error title=talkfeed action::the release installer runs on Linux and macOS runners; on Windows use version: source"
  exit 1
fi

dir=${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-/tmp}}/talkfeed/$version/bin
echo "talkfeed $version into $dir"
{
  echo "version=$version"
  echo "dir=$dir"
} >> "${GITHUB_OUTPUT:-/dev/null}"
