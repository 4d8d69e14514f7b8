-- CreateTable
CREATE TABLE "Acknowledgement" (
    "id" SERIAL NOT NULL,
    "findingId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "events" JSONB NOT NULL,

    CONSTRAINT "Acknowledgement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Acknowledgement_findingId_idx" ON "Acknowledgement"("findingId");

-- CreateIndex
CREATE INDEX "Acknowledgement_createdAt_idx" ON "Acknowledgement"("createdAt");
