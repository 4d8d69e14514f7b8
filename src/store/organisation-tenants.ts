/**
 * Which organisation a stored source+tenant belongs to (the OrganisationTenant table). With
 * KANSA_CONFIG's organisations, a report covers its organisation's tenants only: those of its
 * source instances, claimed whenever it collects or reports, and those `kansa import --org`
 * loaded. A tenant belongs to one organisation: claiming one that another organisation holds is
 * a ConfigError naming both, and nothing is stored for it.
 */
import { ConfigError } from "../core/errors.ts";
import type { Database } from "./database.ts";
import type { SourceTenant } from "./event-queries.ts";

/** Record `pairs` as `org`'s; throws when another organisation holds one of them. */
export async function claimTenants(db: Database, org: string, pairs: readonly SourceTenant[]): Promise<void> {
  for (const { source, tenant } of pairs) {
    await db.query(
      `INSERT INTO "OrganisationTenant" ("source", "tenant", "org") VALUES ($1, $2, $3) ON CONFLICT ("source", "tenant") DO NOTHING`,
      [source, tenant, org],
    );
    const [owner] = await db.query<{ org: string }>(`SELECT "org" FROM "OrganisationTenant" WHERE "source" = $1 AND "tenant" = $2`, [source, tenant]);
    if (owner && owner.org !== org) {
      throw new ConfigError(
        `The ${source} tenant "${tenant}" belongs to organisation "${owner.org}", not "${org}": a tenant belongs to one organisation (give this one another tenant name).`,
      );
    }
  }
}

/** The source+tenant pairs recorded as `org`'s, sorted. */
export async function organisationTenants(db: Database, org: string): Promise<SourceTenant[]> {
  return db.query<SourceTenant>(`SELECT "source", "tenant" FROM "OrganisationTenant" WHERE "org" = $1 ORDER BY "source", "tenant"`, [org]);
}
