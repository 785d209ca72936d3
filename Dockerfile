# One image for the production services (migrate, worker, web); docker-compose.yml picks the command.
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
# docker-compose.yml sets the command per service (npm run db:migrate, npm run worker, npm run web).
CMD ["npm", "run", "web"]
