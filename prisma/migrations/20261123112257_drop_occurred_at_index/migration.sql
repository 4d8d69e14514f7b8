-- DropIndex
DROP INDEX "AuditEvent_occurredAt_idx";
