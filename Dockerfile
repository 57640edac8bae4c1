# talkfeed in a container: the static musl binary and nothing else, run as a
# user without privileges in /site. It is made from a binary built before
# (make dist builds it), so the image holds exactly what the release ships:
#
#   make dist                 # target/x86_64-unknown-linux-musl/release/talkfeed
#   docker build -t talkfeed .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" talkfeed --base-url https://example.org/
#
# arm64: make dist TARGET=aarch64-unknown-linux-musl DIST_BUILD="cargo zigbuild", then
#   docker build --build-arg BINARY=target/aarch64-unknown-linux-musl/release/talkfeed .
#
# The default image has no shell, so a CI job whose script runs in the image
# (GitLab CI, Woodpecker) cannot use it: build `--target ci` for those, the
# same binary on distroless's busybox (see docs/install.md#container).

ARG BINARY=target/x86_64-unknown-linux-musl/release/talkfeed

# For CI runners that need a shell in the job's image: busybox's sh, as nonroot.
FROM gcr.io/distroless/static-debian12:debug-nonroot AS ci
ARG BINARY
COPY --chmod=0755 ${BINARY} /usr/local/bin/talkfeed
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/talkfeed"]

# The default: the binary alone.
FROM scratch
ARG BINARY
COPY --chmod=0755 ${BINARY} /usr/local/bin/talkfeed
# The nonroot user of distroless images; a number needs no /etc/passwd.
USER 65532:65532
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/talkfeed"]
