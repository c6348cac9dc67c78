# syntax=docker/dockerfile:1
# The inventory-sync host as an image: `docker build -t inventory-sync .`, or `docker compose up`
# (compose.yaml: PostgreSQL, two host instances and the SP-API sandbox).

# Build: install from the lock file, build the host and the sandbox bundles (building the host builds
# the admin console's static files too: dist/apps/console).
FROM node:20-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 builds from source when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build -p inventory-host amazon-sandbox

# Production dependencies only, from the same lock file (database drivers included).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# The SP-API sandbox (never in production: it stands in for Amazon in demos and tests).
FROM node:20-bookworm-slim AS sandbox
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4010
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist/apps/amazon-sandbox ./
USER node
EXPOSE 4010
CMD ["node", "main.js"]

# The host (last stage: the default target).
FROM node:20-bookworm-slim AS host
ENV NODE_ENV=production DATA_DIR=/data PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist/apps/inventory-host ./
# The admin console, served by the host at / (static files: nothing to install).
COPY --from=build /src/dist/apps/console ./console
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "main.js"]
