/**
 * Auth0's session upkeep (the source contract's isSessionUpkeep): logouts and silent
 * re-authentication (`prompt=none`, renewing a session), successful or failed, and refresh-token
 * exchanges. Codes and meanings from Auth0's "Log Event Type Codes" (auth0.com/docs, Logs) as
 * listed in log-types.ts.
 */
import type { ClassifiableEvent } from "../../core/classification.ts";

/** slo/flo: logout; ssa/fsa: silent authentication; sertft/fertft: refresh token exchanged. */
export const SESSION_UPKEEP_TYPES: ReadonlySet<string> = new Set(["slo", "flo", "ssa", "fsa", "sertft", "fertft"]);

export function isAuth0SessionUpkeep(event: Pick<ClassifiableEvent, "action">): boolean {
  return SESSION_UPKEEP_TYPES.has(event.action);
}
