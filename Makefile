# eskit: `make demo` runs the main job on the bundled example; `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu apt packages; sudo when not root) and build.

SWIFT        ?= swift
APT_PACKAGES := libgit2-dev libyaml-dev pkg-config git
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN          := .build/debug/eskit
RELEASE_BIN  := .build/release/eskit

.PHONY: deps build release test demo bench clean

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "eskit: installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "eskit: Swift 6 toolchain not found (https://swift.org/install)"; exit 2; }

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

demo: build
	@bash fixtures/demo/run.sh $(BIN)

bench: release
	@bash bench/run-all.sh $(RELEASE_BIN)

clean:
	rm -rf .build
