# syntax=docker/dockerfile:1.7
# One image per docflow service, from one pattern:
#
#   docker build --build-arg SERVICE=validate --target service -t docflow-validate .
#   docker build --build-arg SERVICE=extract --target extract -t docflow-extract .
#
# `make images` builds all of them. The builder installs only that service's package and the
# libraries it declares, at the versions in uv.lock; the final stage holds the virtualenv and
# nothing to build with.

ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.8.22

FROM ${UV_IMAGE} AS uv

FROM ${PYTHON_IMAGE} AS builder
ARG SERVICE
COPY --from=uv /uv /usr/local/bin/uv
# Bytecode compiled at build time: the root filesystem is read-only at run time.
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/opt/docflow
WORKDIR /src
COPY . .
# --no-editable: workspace packages are installed as wheels, so /src is not needed afterwards.
RUN --mount=type=cache,target=/root/.cache/uv \
    test -n "${SERVICE}" \
    && uv sync --frozen --no-dev --no-editable --package "docflow-${SERVICE}" \
    && ln -s "docflow-${SERVICE}" /opt/docflow/bin/docflow-service

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="docflow-${SERVICE}" \
      org.opencontainers.image.description="docflow ${SERVICE} service" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/docflow/docflow" \
      org.opencontainers.image.vendor="docflow"
RUN groupadd --system --gid 10001 docflow \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /tmp \
       --shell /usr/sbin/nologin docflow
COPY --from=builder /opt/docflow /opt/docflow
ENV PATH=/opt/docflow/bin:${PATH} \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
# The services' local defaults (.docflow/) are relative: /tmp is the one writable place.
WORKDIR /tmp
USER 10001:10001
# The runtime drains on SIGTERM within DOCFLOW_SHUTDOWN_TIMEOUT_SECONDS.
STOPSIGNAL SIGTERM
# Kubernetes probes /healthz and /readyz itself; a Docker healthcheck would duplicate them.
HEALTHCHECK NONE
ENTRYPOINT ["/opt/docflow/bin/docflow-service"]

# extract alone needs Tesseract's language data (tesserocr's wheel brings the library).
FROM runtime AS extract
USER 0:0
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*
USER 10001:10001

# The default target: every other service.
FROM runtime AS service
