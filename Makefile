# talkfeed: `make` builds talkfeed and runs it on the sample site in
# content/, writing out/; `make test` runs the whole test suite. Only the
# Rust toolchain is needed for both.

CARGO ?= cargo
TALKFEED := target/release/talkfeed
# The sample site has no Hugo config; say what a config would.
TALKFEED_FLAGS ?= --site . --base-url https://talks.example.org/ --timezone Europe/Berlin --author Martin

.PHONY: all build run check list test validate clean

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

test:
	$(CARGO) test --locked

# Check the outputs of the sample site and of ../shared/corpus with the
# parsers clients use (Python icalendar, feedparser and jsonschema, Mozilla's
# ical.js, a Node feed parser, jing with RFC 4287's RELAX NG schema),
# installed on first use into .validate/ (needs python3, npm, java, apt-get).
validate: build
	tests/validate/run

clean:
	$(CARGO) clean
	rm -rf out .validate
