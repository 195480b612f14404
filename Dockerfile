# syntax=docker/dockerfile:1
# The zkbench image for distributed runs (deploy/k8s/, docker-compose.yml): one image for the load
# processes (`zkbench worker`) and the coordinator (`zkbench bench --remote-workers N`). It holds no
# ZooKeeper server and no Java, so it always runs against an ensemble given with --connect.
#   docker build -t zkbench:dev .

# Build stage: the zookeeper npm client compiles a C/C++ addon (node-gyp, and the C client's
# configure and make), which needs g++, make and python3, and OpenSSL's and Cyrus SASL's headers (TLS
# and SASL, docs/tls-sasl.md); none of them go into the final image.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends g++ make python3 libssl-dev libsasl2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# node-gyp compiles against the headers this Node ships instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
COPY patches ./patches
COPY deploy/check-patched-addon.mjs ./deploy/
# npm builds the addon before the postinstall (patch-package) has patched its sources, and skips the
# build while one exists: remove every build product and rebuild, as scripts/setup.mjs does, then stop
# unless the addon is the patched build (zkbench refuses to run on any other).
RUN npm ci --omit=dev \
 && rm -rf node_modules/zookeeper/build node_modules/zookeeper/deps/zookeeper-client-c \
 && npm rebuild zookeeper --foreground-scripts \
 && node deploy/check-patched-addon.mjs

# Run stage: the addon links libc, libstdc++ (the slim image has them) and Cyrus SASL with its DIGEST-MD5
# plugin; OpenSSL is Node's own.
FROM node:20-bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libsasl2-2 libsasl2-modules \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY patches ./patches
COPY bin ./bin
COPY src ./src
COPY workloads ./workloads
COPY baselines ./baselines
# The default --results-dir (results/, relative to /app); distributed runs mount a volume at /results.
RUN mkdir -p /app/results /results && chown node:node /app/results /results
USER node
ENTRYPOINT ["node", "bin/zkbench.js"]
CMD ["--help"]
