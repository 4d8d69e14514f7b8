import { defineConfig } from "prisma/config";

// The datasource URL is only read by the Prisma CLI (`prisma migrate deploy` on Heroku);
// kansa itself connects through driver adapters (src/store/database.ts).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/kansa" },
});
