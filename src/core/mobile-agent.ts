/**
 * Whether a user agent is a phone's or a tablet's. The console logs the raw header
 * (`Mozilla/5.0 (iPhone; ...) ... Mobile/15E148 Safari/604.1`), an identity provider mostly its parsed form
 * (`Mobile Safari 26.0.0 / iOS 26.0.0`, `Chrome Mobile 140.0.0 / Android 15.0.0`): both name
 * one of these words. The pattern is also evaluated by PostgreSQL (`~`) when a month is loaded
 * for detection, so it stays a plain case-sensitive alternation that both engines read alike.
 */
export const MOBILE_AGENT_PATTERN = "Mobile|Android|iPhone|iPad";

const MOBILE_AGENT = new RegExp(MOBILE_AGENT_PATTERN);

export function isMobileAgent(userAgent: string): boolean {
  return MOBILE_AGENT.test(userAgent);
}
