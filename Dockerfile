# syntax=docker/dockerfile:1
# Study Group Bot: the shipped build (profile `dist`: whole-program LTO) in the Rust image,
# run from a small Debian image as a non-root user. TLS is rustls: the runtime needs only CA
# certificates, no OpenSSL.
#
#   docker build -t study-group-bot .
#   docker run --rm -e BOT_TOKEN=… -p 8080:8080 -v sgb-data:/data study-group-bot

FROM rust:1.94-bookworm AS builder
WORKDIR /src
COPY . .
# Cache the registry and the target directory between builds (BuildKit).
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --profile dist --locked --bin study-group-bot \
    && install -D -m 0755 target/dist/study-group-bot /out/study-group-bot

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
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
# SIGTERM (docker stop) finishes the updates in hand before exiting.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/study-group-bot"]
CMD ["run"]
