-- DropIndex
DROP INDEX "Report_day_tenants_key";

-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "org" TEXT NOT NULL DEFAULT 'default';

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "org" TEXT NOT NULL DEFAULT 'default';

-- CreateTable
CREATE TABLE "OrganisationTenant" (
    "source" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "org" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrganisationTenant_pkey" PRIMARY KEY ("source","tenant")
);

-- CreateTable
CREATE TABLE "Collection" (
    "id" SERIAL NOT NULL,
    "org" TEXT NOT NULL,
    "today" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "finishedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Collection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OrganisationTenant_org_idx" ON "OrganisationTenant"("org");

-- CreateIndex
CREATE UNIQUE INDEX "Collection_org_today_source_tenant_key" ON "Collection"("org", "today", "source", "tenant");

-- CreateIndex
CREATE UNIQUE INDEX "Report_org_day_tenants_key" ON "Report"("org", "day", "tenants");
