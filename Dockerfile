# syntax=docker/dockerfile:1
# Study Group Bot: the shipped build (profile `dist`: whole-program LTO) in the Rust image,
# run from a small Debian image as a non-root user. TLS is rustls: the runtime needs only CA
# certificates, no OpenSSL.
#
#   docker build -t study-group-bot .
#   docker run --rm -e BOT_TOKEN=… -p 8080:8080 -v sgb-data:/data study-group-bot
#
# The `runtime` stage alone, around a binary built elsewhere (no Rust image needed):
# deploy/image-from-binary.sh (it replaces the `builder` stage by a build context).

FROM rust:1.94-bookworm AS builder
WORKDIR /src
COPY . .
# Cache the registry and the target directory between builds (BuildKit).
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --profile dist --locked --bin study-group-bot \
    && install -D -m 0755 target/dist/study-group-bot /out/study-group-bot

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tini tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --create-home --shell /usr/sbin/nologin bot
COPY --from=builder /out/study-group-bot /usr/local/bin/study-group-bot
USER bot
WORKDIR /data
# SQLite by default lives in /data (mount a volume); set DATABASE_URL for PostgreSQL.
ENV DATABASE_URL=sqlite:///data/study_group_bot.db?mode=rwc \
    HTTP_ADDR=0.0.0.0:8080 \
    LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/data"]
# SIGTERM (docker stop) finishes the updates in hand before exiting. tini is PID 1: the kernel
# drops a SIGTERM to a PID 1 without a handler, and the bot installs its handler only once
# started (after the Bot API answered getMe), so without tini a stop during a long start-up
# waited out the grace period and ended in SIGKILL. tini passes SIGTERM on; a bot stopped
# before it started dies of it, exit status 143, which `-e 143` reports as 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "-e", "143", "--", "/usr/local/bin/study-group-bot"]
CMD ["run"]
