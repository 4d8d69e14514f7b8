/**
 * Auth0's session upkeep (the source contract's isSessionUpkeep): the log types whose category
 * (log-types.ts, Auth0's "Log Stream Filters") is a logout or a silent authentication (renewing
 * a session with `prompt=none`), successful or failed. Token exchanges are not: a machine
 * credential's first client-credentials exchange is news.
 */
import type { ClassifiableEvent } from "../../core/classification.ts";
import { auth0LogType, type Auth0Category } from "./log-types.ts";

const UPKEEP: ReadonlySet<Auth0Category> = new Set<Auth0Category>(["auth.logout.success", "auth.logout.fail", "auth.silent_auth.success", "auth.silent_auth.fail"]);

export function isAuth0SessionUpkeep(event: Pick<ClassifiableEvent, "action">): boolean {
  const type = auth0LogType(event.action);
  return type !== null && UPKEEP.has(type.category);
}
