# talkfeed: `make` builds talkfeed and runs it on the sample site in
# content/, writing out/; `make test` runs the whole test suite. Only the
# Rust toolchain is needed for both.

CARGO ?= cargo
TALKFEED := target/release/talkfeed
# The sample site has no Hugo config; say what a config would.
TALKFEED_FLAGS ?= --site . --base-url https://talks.example.org/ --timezone Europe/Berlin --author Martin

.PHONY: all build run check list serve man test validate e2e bench dist release-check clean

all: run

build:
	$(CARGO) build --release --locked

# Write out/ from content/.
run: build
	$(TALKFEED) build $(TALKFEED_FLAGS) --out out

# Check content/ without writing anything.
check: build
	$(TALKFEED) check $(TALKFEED_FLAGS)

list: build
	$(TALKFEED) list $(TALKFEED_FLAGS)

# Build, serve out/ on http://127.0.0.1:1414/ and rebuild on every change.
serve: build
	$(TALKFEED) serve --watch $(TALKFEED_FLAGS) --out out

# The man page, from the same definitions as --help.
man: build
	mkdir -p target/man
	$(TALKFEED) man > target/man/talkfeed.1
	@echo "wrote target/man/talkfeed.1 (read it with: man -l target/man/talkfeed.1)"

test:
	$(CARGO) test --locked

# Check the outputs of the sample site and of ../shared/corpus with the
# parsers clients use (Python icalendar, feedparser and jsonschema, Mozilla's
# ical.js, a Node feed parser, jing with RFC 4287's RELAX NG schema),
# installed on first use into .validate/ (needs python3, npm, java, apt-get).
validate: build
	tests/validate/run

# The subscribe page in headless Chromium (installs playwright-core into
# .e2e/ on first use; skips with a reason without Chromium or npm).
e2e: build
	tests/e2e/run

# Time talkfeed on synthetic sites of 1 000, 10 000 and 100 000 talks
# against reading the files and (if installed) Hugo; see benches/run.
bench: build
	$(CARGO) build --release --locked --example generate
	benches/run
	$(CARGO) bench --locked --bench hot_paths -- --warm-up-time 1 --measurement-time 2

# The release archive of this machine, built as the release workflow builds
# it (.ci/dist), into target/dist/: on Linux the static musl build. Another
# target: make dist TARGET=aarch64-unknown-linux-musl (DIST_BUILD="cargo zigbuild").
TARGET ?=
dist:
	.ci/dist $(TARGET)

# The release end to end: make dist, install.sh against a local server
# (and its refusals), the GitHub Action's script, actionlint and the action
# metadata schema, the container where docker runs (tests/release/run).
release-check:
	tests/release/run

clean:
	$(CARGO) clean
	rm -rf out .validate
