# ModelBridge: `docker build -t modelbridge .` (or podman). Three stages: dependencies (cached
# while package-lock.json is unchanged), the build (next build + dist/server.mjs), and a
# runtime image with production dependencies only, run as the unprivileged `node` user.
# compose.yaml runs two of these behind nginx with Postgres and Redis; docs/production.md.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
# package-lock.json is written by npm 11; node:20 ships npm 10, whose `npm ci` refuses it.
RUN npm --version | grep -q '^11\.' || npm install -g npm@11 --no-audit --no-fund
COPY package.json package-lock.json .npmrc ./
# `npm install` with the lock file, not `npm ci`: a registry mirror without other platforms'
# optional binaries makes `npm ci` fail (see .ci/run); the locked versions are installed.
RUN --mount=type=cache,target=/root/.npm \
    npm install --no-audit --no-fund --ignore-scripts=false

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json /app/next.config.ts /app/tsconfig.json ./
# next.config.ts imports this one file at start.
COPY --from=build /app/lib/http/content-security-policy.ts ./lib/http/
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/dist ./dist
COPY --from=build /app/drizzle ./drizzle
# The embedded database and generated secrets live in /data (a volume); with DATABASE_URL
# only the secrets would, so set AUTH_SECRET and ENCRYPTION_KEY for several containers.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# SIGTERM (docker stop): the server stops accepting, lets in-flight requests and streams
# finish (up to 30 s), flushes usage records, then exits. Give `docker stop -t` more than 30.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server.mjs"]
