#!/usr/bin/env bash
# `nx run dbt-runner:docker-build`: builds the runner image from apps/dbt-runner/Dockerfile with
# the repository root as context (the runner imports the workspace libs). Never pushes: the
# deploy step does. Fails at once, saying so, when no Docker daemon answers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
tag="${DOCKER_IMAGE_TAG:-finks-dbt-runner:ci}"

if ! command -v docker >/dev/null 2>&1; then
  echo "dbt-runner:docker-build: the docker CLI is not installed; install Docker (or run this target on a CI runner with Docker)" >&2
  exit 1
fi
if ! docker_error="$(timeout 20 docker info --format '{{.ServerVersion}}' 2>&1 >/dev/null)"; then
  echo "dbt-runner:docker-build: no Docker daemon answers (${docker_error:-docker info timed out}); start Docker or set DOCKER_HOST, then retry" >&2
  exit 1
fi
exec docker build --file apps/dbt-runner/Dockerfile --tag "$tag" "$@" .
