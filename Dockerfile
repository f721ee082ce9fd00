# syntax=docker/dockerfile:1
# The modelplane control plane: `modelplane serve --role all|api|worker` (docs/control-plane.md).
# Multi-stage: dependencies and the policy-pack bundle are built in throwaway stages; the runtime
# image holds the production dependencies, the sources (run by tsx), the bundled policy pack and
# the Pulumi CLI, and runs as an unprivileged user. test/dockerfile.test.ts checks these rules.
#
# Pulumi CLI 3.253.0 (any CLI >= the SDK's 3.248.0 runs its Automation API). SHA-256 of the release
# archives as published in pulumi/pulumi's v3.253.0 release (pulumi-3.253.0-checksums.txt), read
# 2026-11-30 from a public repository pinning them; bump version and both sums together and check
# them against https://github.com/pulumi/pulumi/releases/download/v3.253.0/pulumi-3.253.0-checksums.txt.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim
ARG PULUMI_VERSION=3.253.0
ARG PULUMI_SHA256_AMD64=33161e521280e6c77395a46344dba5ff9c118a90df254801e662087143b4d1ac
ARG PULUMI_SHA256_ARM64=7d7074d67a76139226c163b2365f14fbd45d8e2251362a2e10dc4602b3b577ea

# ---- every dependency (dev included): builds the policy pack --------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build:policy

# ---- production dependencies only ----------------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# ---- the Pulumi CLI, pinned and checksum-verified ------------------------------------------------
FROM ${NODE_IMAGE} AS pulumi
ARG PULUMI_VERSION
ARG PULUMI_SHA256_AMD64
ARG PULUMI_SHA256_ARM64
ARG TARGETARCH=amd64
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN set -eu; \
    case "${TARGETARCH}" in \
      amd64) arch=x64; sum="${PULUMI_SHA256_AMD64}" ;; \
      arm64) arch=arm64; sum="${PULUMI_SHA256_ARM64}" ;; \
      *) echo "unsupported TARGETARCH ${TARGETARCH}: use amd64 or arm64" >&2; exit 1 ;; \
    esac; \
    file="pulumi-v${PULUMI_VERSION}-linux-${arch}.tar.gz"; \
    curl -fsSLo "/tmp/${file}" "https://github.com/pulumi/pulumi/releases/download/v${PULUMI_VERSION}/${file}"; \
    echo "${sum}  /tmp/${file}" | sha256sum -c -; \
    mkdir -p /opt/pulumi; \
    tar -xzf "/tmp/${file}" -C /opt/pulumi --strip-components=1; \
    rm "/tmp/${file}"; \
    /opt/pulumi/pulumi version

# ---- runtime -------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# MODELPLANE_KUBE_TOKEN_COMMAND: the per-model stacks' kubeconfigs exec `modelplane kube-token eks|gke`
# (EKS Pod Identity / GKE Workload Identity, code in providers/) in place of the AWS CLI and
# gke-gcloud-auth-plugin, which this image does not hold (#14, docs/control-plane.md). `modelplane`
# is the repo's launcher (bin/modelplane.js), linked onto PATH below.
ENV NODE_ENV=production \
    MODELPLANE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    MODELPLANE_DATA_DIR=/var/lib/modelplane \
    MODELPLANE_KUBE_TOKEN_COMMAND=modelplane \
    PATH=/opt/pulumi:$PATH
RUN groupadd --system --gid 10001 modelplane \
 && useradd --system --uid 10001 --gid modelplane --home-dir /var/lib/modelplane --shell /usr/sbin/nologin modelplane \
 && mkdir -p /var/lib/modelplane \
 && chown modelplane:modelplane /var/lib/modelplane \
 && ln -s /app/bin/modelplane.js /usr/local/bin/modelplane
WORKDIR /app
COPY --from=pulumi /opt/pulumi /opt/pulumi
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/package.json /src/tsconfig.json /src/Pulumi.yaml /src/index.ts ./
COPY --from=build /src/bin ./bin
COPY --from=build /src/cli ./cli
COPY --from=build /src/api ./api
COPY --from=build /src/dashboard ./dashboard
COPY --from=build /src/platform ./platform
COPY --from=build /src/providers ./providers
COPY --from=build /src/components ./components
COPY --from=build /src/programs ./programs
COPY --from=build /src/policy ./policy
USER 10001:10001
EXPOSE 8080
# Liveness of every role: the API answers /healthz, a worker's probe server too.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--import", "tsx", "cli/main.ts"]
CMD ["serve", "--role", "all"]
