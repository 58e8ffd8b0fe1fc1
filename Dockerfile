# Remit's dashboard as a service: `remit serve` over a store mounted read-only.
#
#   docker build -t remit .
#   docker run --rm -p 127.0.0.1:8080:8080 -v /srv/remit/remit.db:/data/remit.db:ro remit
#   docker run --rm -p 127.0.0.1:8080:8080 --read-only --tmpfs /tmp remit serve --host 0.0.0.0 --port 8080 --demo
#
# Behind a reverse proxy that passes on the visitor's Host header, name it:
#   docker run ... remit --db /data/remit.db serve --host 0.0.0.0 --port 8080 --allow-host remit.example.org
# See docs/publish.md.

ARG RUST_IMAGE=rust:1.95-slim-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# --- build: the release binary, nothing else -----------------------------------------------
FROM ${RUST_IMAGE} AS build
WORKDIR /src
COPY . .
# The corpus, the classifiers and the demo's samples are built into the binary; SQLite is
# bundled, so the binary needs only the C library at run time.
RUN cargo build --release --locked -p remit-cli \
    && install -m 0755 target/release/remit /usr/local/bin/remit \
    && /usr/local/bin/remit --version

# --- run: a slim Debian, an unprivileged user, the store read-only --------------------------
FROM ${RUNTIME_IMAGE}
COPY --from=build /usr/local/bin/remit /usr/local/bin/remit
# A user without a login or a home of its own; the store is mounted at /data, read-only.
RUN groupadd --system --gid 10001 remit \
    && useradd --system --uid 10001 --gid remit --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin remit \
    && mkdir -p /data
USER remit:remit
ENV XDG_DATA_HOME=/data
VOLUME ["/data"]
EXPOSE 8080
# The server answers /-/health with `"ok":true` while it runs and can read its store. The slim
# image has no curl; bash's /dev/tcp asks it (Host is an address, which the server always
# answers).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /-/health.json HTTP/1.0\\r\\nHost: 127.0.0.1:8080\\r\\n\\r\\n' >&3 && grep -q '\"ok\":true' <&3"]
ENTRYPOINT ["remit"]
# Listens on every interface of the container (publish the port on 127.0.0.1 of the host, or
# put a reverse proxy in front, with --allow-host for the name it passes on).
CMD ["--db", "/data/remit.db", "serve", "--host", "0.0.0.0", "--port", "8080"]
