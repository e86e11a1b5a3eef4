# The project's image: runs the worker by default; docker-compose.yml also runs the
# Glue/Redshift emulator from it.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# Dependencies before sources, so a source change reuses the installed layer. No scripts: the prepare script
# would build before the sources are here (the build runs below; the dependencies' own scripts only warn).
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
# package.json marks the project root, which the code looks up at run time (pipeline config, paths).
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/lib ./lib
COPY bin ./bin
COPY config ./config
# `etl` on the PATH, for `docker compose exec worker etl run ...`.
ENV PATH=/app/bin:$PATH
# The emulator's Redshift databases (a volume in docker-compose.yml, which takes this folder's owner).
RUN mkdir -p /var/lib/etl-redshift && chown node:node /var/lib/etl-redshift
# The unprivileged user the Node image ships.
USER node
# The worker started as src/worker/processSettings.ts says: its node flags and allocator setting.
ENV MALLOC_ARENA_MAX=2
CMD ["node", "--optimize-for-size", "--max-semi-space-size=1", "lib/client/cli.js", "worker"]
