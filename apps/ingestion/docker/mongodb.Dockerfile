# syntax=docker/dockerfile:1.7
# The mongodb connector. Build from the repository root (the workspace libs are needed):
#   docker build -f apps/ingestion/docker/mongodb.Dockerfile -t finks-ingestion-mongodb .
# mongodb.Dockerfile.dockerignore (BuildKit reads it beside this file) keeps the context small.
FROM node:24-bookworm-slim AS build
WORKDIR /repo
COPY . .
# tsx runs the TypeScript entry point as-is (no build step), so dev dependencies stay.
RUN npm ci --workspace @finks/ingestion --include-workspace-root --ignore-scripts --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production
# A larger young generation: each response allocates ~1 MB of short-lived rows and envelopes, and
# with V8's default 16 MB semi-space they were promoted and collected as old objects; 32 MB cut
# the benchmark's GC time and peak RSS (README, Benchmark). Keep in step with project.json.
ENV NODE_OPTIONS=--max-semi-space-size=32
WORKDIR /repo
COPY --from=build /repo /repo
USER node
# Logs (JSON) go to stderr, EMF metric lines to stdout; the ECS awslogs driver ships both.
ENTRYPOINT ["node", "--import", "tsx", "apps/ingestion/src/main.ts", "mongodb"]
