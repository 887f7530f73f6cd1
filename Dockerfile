# syntax=docker/dockerfile:1
#
# ERP identity gateway: container image.
#
#   docker build -t erp-identity-gateway:dev .
#
# Stages:
#   build  – all dependencies (dev included), `npm run build` (tsc + tsc-alias) -> dist/
#   deps   – production dependencies only, from a clean `npm ci --omit=dev`
#   run    – Node 22 LTS slim, tini as PID 1, non-root (uid 10001), dist + production node_modules
#
# The runtime image works with a read-only root filesystem: the only writable path the gateway
# needs is DATA_DIR (/tmp/data), which the Helm chart mounts as an emptyDir on /tmp.
# Install scripts are skipped everywhere (`--ignore-scripts`): the only native dependency of the
# runtime (@node-rs/argon2) ships prebuilt binaries as optional per-platform packages.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NODE_ENV=development \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
# test/ is not in the build context (.dockerignore): tsconfig.build.json's test globs match nothing,
# so dist/ holds exactly apps/ and libs/.
RUN npm run build

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS run

# tini reaps zombies and forwards SIGTERM to node, which drains in-flight requests and exits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin gateway

WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    ADMIN_PORT=3001 \
    ADMIN_HOST=0.0.0.0 \
    DATA_DIR=/tmp/data \
    npm_config_update_notifier=false

# Owned by root and not writable by the runtime user: the application tree is immutable.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./

USER 10001:10001
EXPOSE 3000 3001

# Exec form throughout: node is tini's child and receives SIGTERM directly (never through npm or sh).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/gateway/src/main.js"]
