#!/bin/sh
# Builds the container image from a study-group-bot binary built elsewhere: the Dockerfile's
# `runtime` stage only, with its `builder` stage replaced by a build context holding the
# binary, so no Rust image and no build inside the engine. The binary must run on Debian
# bookworm (glibc 2.36); the image is otherwise the Dockerfile's.
#
#   deploy/image-from-binary.sh target/dist/study-group-bot [TAG]
#
# Podman by default; ENGINE=docker for Docker with BuildKit (`--build-context` needs it).
set -eu
bin=${1:?usage: deploy/image-from-binary.sh BINARY [TAG]}
tag=${2:-study-group-bot}
engine=${ENGINE:-podman}
root=$(cd "$(dirname "$0")/.." && pwd)
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
install -D -m 0755 "$bin" "$ctx/out/study-group-bot"
"$engine" build --target runtime --build-context "builder=$ctx" -t "$tag" "$root"
