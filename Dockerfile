# syntax=docker/dockerfile:1
# tokenfix: multi-stage image on Node 22 LTS (Node 20 is past end of life; engines stays >=20).
#   docker build -t tokenfix .
#   docker run --env-file .env -p 3000:3000 tokenfix
# The `prepare` build needs dev tools, so dist/ is compiled in its own stage; the runtime stage
# installs production dependencies only, with install scripts off except the one native module.

# 1. Compile TypeScript to dist/ (dev dependencies, no install scripts needed).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY knowledge ./knowledge
RUN npx tsc -p tsconfig.build.json

# 2. Production dependencies; better-sqlite3's native addon is built here (prebuilt download, or
#    compiled with the tools below when none fits).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3 \
  && npm cache clean --force

# 3. Runtime: no compilers, no dev dependencies, not root.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY --chown=node:node package.json package-lock.json manifest.yml ./
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node knowledge ./knowledge
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
# Liveness: the process serves requests (GET /livez). /healthz is readiness, for monitoring.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/livez').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: stop taking requests, finish replies in flight (up to 8 s), exit 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/index.js"]
