-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(3) NOT NULL,
    "ingestedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "account" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "ipParsed" TEXT,
    "appId" TEXT,
    "appName" TEXT,
    "userAgent" TEXT NOT NULL,
    "level" TEXT,
    "result" TEXT,
    "isExport" BOOLEAN NOT NULL DEFAULT false,
    "isCritical" BOOLEAN NOT NULL DEFAULT false,
    "isLogin" BOOLEAN NOT NULL DEFAULT false,
    "isFailedLogin" BOOLEAN NOT NULL DEFAULT false,
    "raw" JSONB NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Baseline" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "featureSet" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "mean" JSONB NOT NULL,
    "covariance" JSONB NOT NULL,
    "extra" JSONB NOT NULL DEFAULT '{}',
    "dataVersion" TEXT NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Baseline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SourceCursor" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "tenant" TEXT NOT NULL,
    "cursor" TEXT NOT NULL,
    "lastSuccessAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "SourceCursor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "day" TEXT,
    "status" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "stats" JSONB NOT NULL DEFAULT '{}',
    "errors" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" SERIAL NOT NULL,
    "day" TEXT NOT NULL,
    "tenants" TEXT NOT NULL,
    "recipients" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "model" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "messageId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_occurredAt_idx" ON "AuditEvent"("occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_source_tenant_occurredAt_idx" ON "AuditEvent"("source", "tenant", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_source_tenant_externalId_key" ON "AuditEvent"("source", "tenant", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Baseline_source_tenant_month_timezone_featureSet_key" ON "Baseline"("source", "tenant", "month", "timezone", "featureSet");

-- CreateIndex
CREATE UNIQUE INDEX "SourceCursor_source_tenant_key" ON "SourceCursor"("source", "tenant");

-- CreateIndex
CREATE UNIQUE INDEX "Report_day_tenants_key" ON "Report"("day", "tenants");
