# One image for both production services (web and worker); docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json .npmrc ./
# A local package (the process registry, lib/runtime/registry.ts) installed from this folder.
COPY lib/runtime/process-registry ./lib/runtime/process-registry
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production
EXPOSE 3000 3001
CMD ["npx", "next", "start", "-p", "3000"]
