# syntax=docker/dockerfile:1
# The eskit container image: the static release binary (scripts/release.sh, as `make release` builds it) on
# Debian 12 slim with git (hooks, `--staged`, `--range`) and CA certificates (provider clients), run as a non-root
# user. Build from the repository root:
#   docker build --build-arg ESKIT_COMMIT=$(git rev-parse --short=12 HEAD) -t eskit .
#   docker run --rm -v "$PWD:/repo" eskit scan --history
# Tests/CLITests/DistributionFilesTests.swift checks the promises made here.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG BASE_IMAGE=debian:12-slim

# --- build: the release archive, checksum-verified and installed into /opt/eskit ---------------------------------
FROM ${SWIFT_IMAGE} AS build
# What scripts/release.sh links statically (the Makefile's APT_PACKAGES and RELEASE_APT_PACKAGES), plus the C
# compiler, python3 (man page) and binutils (strip) it calls.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends \
        libgit2-dev libyaml-dev zlib1g-dev pkg-config git \
        libssl-dev libgcrypt20-dev libgpg-error-dev libssh2-1-dev \
        gcc g++ binutils python3 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The build context has no .git (see .dockerignore): the commit `eskit version` prints comes from this argument.
ARG ESKIT_COMMIT=unknown
RUN ESKIT_COMMIT="${ESKIT_COMMIT}" bash scripts/release.sh /dist \
    && sh scripts/install.sh /dist/eskit-*-linux-*.tar.gz /opt/eskit

# --- the image: nothing but the binaries, git, CA certificates and the licences ----------------------------------
FROM ${BASE_IMAGE}
ARG ESKIT_VERSION=0.1.0-dev
ARG ESKIT_COMMIT=unknown
LABEL org.opencontainers.image.title="eskit" \
      org.opencontainers.image.description="Finds plaintext secrets in Kubernetes GitOps repositories and generates External Secrets Operator manifests" \
      org.opencontainers.image.source="https://github.com/eskit-project/eskit" \
      org.opencontainers.image.url="https://github.com/eskit-project/eskit" \
      org.opencontainers.image.documentation="https://github.com/eskit-project/eskit#readme" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${ESKIT_VERSION}" \
      org.opencontainers.image.revision="${ESKIT_COMMIT}"
# A fixed numeric uid/gid, so `runAsNonRoot` admission can verify it without looking up a name.
# safe.directory: a mounted repository belongs to the host's user, not to uid 10001; git and libgit2 refuse to
# read such a repository unless the system configuration allows it.
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 eskit \
    && useradd --system --uid 10001 --gid 10001 --home-dir /home/eskit --create-home --shell /usr/sbin/nologin eskit \
    && git config --system --add safe.directory '*'
COPY --from=build /opt/eskit/bin/eskit /usr/local/bin/eskit
COPY --from=build /opt/eskit/bin/eskit-providers /usr/local/bin/eskit-providers
COPY --from=build /opt/eskit/share/doc/eskit /usr/share/doc/eskit
COPY --from=build /opt/eskit/share/man/man1/eskit.1 /usr/local/share/man/man1/eskit.1
USER 10001:10001
WORKDIR /repo
ENTRYPOINT ["eskit"]
CMD ["check"]
