# talkfeed: `make` builds and runs talkfeed on the sample site in content/,
# `make test` runs the whole test suite. Only the Rust toolchain is needed.

CARGO ?= cargo
TALKFEED := target/release/talkfeed
# The sample site has no Hugo config; say what a config would.
TALKFEED_FLAGS ?= --site . --base-url https://talks.example.org/ --timezone Europe/Berlin

.PHONY: all build check list test clean

# Until the calendar and feed emitters land, running talkfeed means checking
# every talk of content/.
all: check

build:
	$(CARGO) build --release --locked

check: build
	$(TALKFEED) check $(TALKFEED_FLAGS)

list: build
	$(TALKFEED) list $(TALKFEED_FLAGS)

test:
	$(CARGO) test --locked

clean:
	$(CARGO) clean
	rm -rf out
