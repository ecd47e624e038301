# syntax=docker/dockerfile:1
# One image for every Node service (BFF api/worker, sandbox OP); compose picks the entry point via `command`.
# Node 24 LTS: Node 20 reached its end of life on 2026-04-30.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Manifests first so the dependency layer is reused when only sources change.
COPY package.json package-lock.json ./
RUN npm ci
# Only what the build needs: copying the whole context would drag a host
# node_modules/dist over the freshly installed ones.
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Baked in so the image runs without the repo; compose additionally mounts ./config read-only.
COPY config ./config
# Files stay root-owned: the app only reads them, and a compromised process cannot rewrite its own code.
USER node
EXPOSE 3000
CMD ["node", "dist/apps/bff/src/main.js"]
