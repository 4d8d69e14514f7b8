/**
 * Auth0's severity catalogue (data): log types, and Management API writes (`sapi` events) by
 * method and path, each with its severity and its name in our words. The first entry an event
 * matches is its entry. AUTH0_SEVERITY overrides it: `<type>=<severity>` for a log type,
 * `sapi:[METHOD ]<path>=<severity>` for Management API writes under a route (./sapi-routes.ts:
 * `*` is any one segment, a final `$` ends the path; with or without the `/api` prefix), `=none`
 * to remove an entry.
 *
 * Sources: the log types are Auth0's (./log-types.ts names where each comes from); the paths are
 * the Management API v2 reference's (https://auth0.com/docs/api/management/v2; github:auth0/docs-v2
 * main/docs/api/management/v2/ at 092b879e), but for the Dashboard's own calls it leaves out and
 * Auth0 logs all the same (./settings.ts, AUTH0_CRITICAL_SAPI_PATHS_DEFAULT, says where they are
 * recorded). The severities and names are ours.
 *
 * A `sapi` event's path is the only log text in its words (describeAuth0Event), never in a
 * label: the labels are the catalogue's names.
 */
import type { ClassifiableEvent } from "../../core/classification.ts";
import type { Config } from "../../core/config.ts";
import type { Severity } from "../../core/report-model.ts";
import type { SeverityEntry, Words } from "../contract.ts";
import { applySeverityOverrides, perOverrides, type CatalogueEntry, type SeverityOverrides } from "../severity-overrides.ts";
import { unwrapAuth0Envelope } from "./envelope.ts";
import { auth0LogTypeWords } from "./log-types.ts";
import { parseSapiRoute, routeMatches, sapiRequest, sapiRouteKey, sapiWrite, type SapiRoute, type SapiWrite } from "./sapi-routes.ts";

/** What an entry matches: a log type, or Management API writes under a route (./sapi-routes.ts). */
export type Auth0Match = { type: string } | SapiRoute;

type Auth0Entry = CatalogueEntry<Auth0Match>;

function type(code: string, severity: Severity, en: string, ja: string): Auth0Entry {
  return { key: code, severity, label: { en, ja }, match: { type: code } };
}

/** Writes under `route` ("[METHOD ]/v2/...[$]"), keyed `sapi:<route>`. */
function sapi(route: string, severity: Severity, en: string, ja: string): Auth0Entry {
  return { key: `sapi:${route}`, severity, label: { en, ja }, match: parseSapiRoute(route) };
}

function managementApi(en: string, ja: string): [string, string] {
  return [`${en} (Management API)`, `${ja}（Management API）`];
}

/** The default catalogue, most specific first. */
export const AUTH0_SEVERITY_CATALOGUE: readonly Auth0Entry[] = [
  // high: MFA removed or its policy changed, breached passwords, brute-force blocks
  type("gd_unenroll", "high", "MFA enrollment removed", "MFAの登録解除"),
  type("gd_user_delete", "high", "MFA enrollments of a user deleted", "ユーザーのMFA登録の削除"),
  type("gd_tenant_update", "high", "MFA (Guardian) settings changed", "MFA（Guardian）設定の変更"),
  type("pwd_leak", "high", "Breached password used to log in", "漏洩したパスワードでのログイン"),
  type("signup_pwd_leak", "high", "Breached password used to sign up", "漏洩したパスワードでのサインアップ"),
  type("reset_pwd_leak", "high", "Breached password used in a reset", "漏洩したパスワードでのリセット"),
  type("limit_wc", "high", "Account blocked after failed logins", "ログイン失敗によるアカウントのブロック"),
  type("limit_mu", "high", "IP address blocked after too many attempts", "試行過多によるIPアドレスのブロック"),
  type("limit_sul", "high", "Blocked: too many logins from one IP address", "同一IPアドレスからのログイン過多によるブロック"),
  // high: Management API writes to security settings, access and data flows
  sapi("/v2/tenants/settings", "high", ...managementApi("Tenant settings changed", "テナント設定の変更")),
  sapi("/v2/tenants/invitations", "high", ...managementApi("Tenant members invited", "テナントメンバーの招待")),
  sapi("/v2/attack-protection", "high", ...managementApi("Attack protection changed", "攻撃防御設定の変更")),
  sapi("/v2/anomaly", "high", ...managementApi("Attack protection changed", "攻撃防御設定の変更")),
  sapi("/v2/risk-assessments", "high", ...managementApi("Risk assessment settings changed", "リスク評価設定の変更")),
  sapi("/v2/risk-assessment", "high", ...managementApi("Risk assessment settings changed", "リスク評価設定の変更")),
  sapi("/v2/guardian/enrollments", "high", ...managementApi("MFA factor of a user changed", "ユーザーのMFA要素の変更")),
  sapi("/v2/users/*/authenticators", "high", ...managementApi("MFA factor of a user changed", "ユーザーのMFA要素の変更")),
  sapi("/v2/users/*/authentication-methods", "high", ...managementApi("MFA factor of a user changed", "ユーザーのMFA要素の変更")),
  sapi("/v2/users/*/multifactor", "high", ...managementApi("MFA factor of a user changed", "ユーザーのMFA要素の変更")),
  sapi("/v2/users/*/recovery-code-regeneration", "high", ...managementApi("MFA recovery code regenerated", "MFAリカバリーコードの再生成")),
  sapi("/v2/guardian", "high", ...managementApi("MFA policy changed", "MFAポリシーの変更")),
  sapi("/v2/roles", "high", ...managementApi("Roles or role assignments changed", "ロールまたはロール割り当ての変更")),
  sapi("/v2/users/*/roles", "high", ...managementApi("Roles or role assignments changed", "ロールまたはロール割り当ての変更")),
  sapi("/v2/users/*/permissions", "high", ...managementApi("Permissions of a user changed", "ユーザーの権限の変更")),
  sapi("/v2/client-grants", "high", ...managementApi("Client grants changed", "クライアントグラントの変更")),
  sapi("/v2/clients/*/credentials", "high", ...managementApi("Application credentials changed", "アプリケーションの資格情報の変更")),
  sapi("POST /v2/clients/*/rotate-secret", "high", ...managementApi("Application credentials changed", "アプリケーションの資格情報の変更")),
  sapi("/v2/connections", "high", ...managementApi("Connections changed", "接続（コネクション）の変更")),
  sapi("/v2/log-streams", "high", ...managementApi("Log streams changed", "ログストリームの変更")),
  sapi("/v2/actions/triggers", "high", ...managementApi("Action triggers or bindings changed", "Actionのトリガー・バインディングの変更")),
  sapi("/v2/organizations/*/invitations", "high", ...managementApi("Organization invitations changed", "組織への招待の変更")),
  sapi("/v2/organizations/*/members", "high", ...managementApi("Organization members or their roles changed", "組織メンバーまたはそのロールの変更")),
  sapi("/v2/keys", "high", ...managementApi("Signing or encryption keys changed", "署名鍵・暗号鍵の変更")),
  sapi("/v2/integrations", "high", ...managementApi("Integration installed or changed", "インテグレーションのインストール・変更")),
  sapi("DELETE /v2/users/*", "high", ...managementApi("User deleted", "ユーザーの削除")),
  sapi("POST /v2/users$", "high", ...managementApi("User created", "ユーザーの作成")),
  // medium: other blocks and rate limits, MFA recovery, deletions, refresh-token reuse, exports and imports
  type("limit_delegation", "medium", "Blocked: too many delegation requests", "委任リクエスト過多によるブロック"),
  type("limit_phone", "medium", "Blocked: too many SMS or voice calls", "SMS・音声通話過多によるブロック"),
  type("api_limit", "medium", "API rate limit reached", "APIのレート制限に到達"),
  type("gd_otp_rate_limit_exceed", "medium", "MFA blocked after too many wrong codes", "MFAコード誤り過多によるブロック"),
  type("gd_recovery_rate_limit_exceed", "medium", "MFA recovery blocked after too many wrong codes", "MFAリカバリーコード誤り過多によるブロック"),
  type("gd_recovery_succeed", "medium", "MFA recovery code used", "MFAリカバリーコードの使用"),
  type("gd_update_device_account", "medium", "MFA device changed", "MFAデバイスの変更"),
  type("sdu", "medium", "User deleted", "ユーザーの削除"),
  type("du", "medium", "User deleted", "ユーザーの削除"),
  type("ferrt", "medium", "Refresh token reused (rotation failed)", "リフレッシュトークンの再利用（ローテーション失敗）"),
  type("fcpro", "medium", "AD/LDAP connector provisioning failed", "AD/LDAPコネクターのプロビジョニング失敗"),
  type("ublkdu", "medium", "Login block released", "ログインブロックの解除"),
  type("kms_key_state_changed", "medium", "KMS key state changed", "KMS鍵の状態変更"),
  type("sui", "medium", "Users imported", "ユーザーのインポート"),
  type("ss_sso_success", "medium", "Self-service SSO configured", "セルフサービスSSOの設定"),
  sapi("POST /v2/jobs/users-exports", "medium", ...managementApi("Users exported", "ユーザーのエクスポート")),
  sapi("POST /v2/jobs/users-imports", "medium", ...managementApi("Users imported", "ユーザーのインポート")),
  sapi("/v2/user-blocks", "medium", ...managementApi("Login block released", "ログインブロックの解除")),
  sapi("/v2/tickets", "medium", ...managementApi("Password-change or verification ticket created", "パスワード変更・確認チケットの作成")),
  sapi("/v2/clients", "medium", ...managementApi("Applications changed", "アプリケーションの変更")),
  sapi("/v2/users", "medium", ...managementApi("Users changed", "ユーザーの変更")),
  sapi("/v2/resource-servers", "medium", ...managementApi("APIs (resource servers) changed", "API（リソースサーバー）の変更")),
  sapi("/v2/custom-domains", "medium", ...managementApi("Custom domains changed", "カスタムドメインの変更")),
  sapi("/v2/actions", "medium", ...managementApi("Actions changed", "Actionの変更")),
  sapi("/v2/organizations", "medium", ...managementApi("Organizations changed", "組織の変更")),
  // low: reads that returned a secret, warnings, any other Management API write
  type("mgmt_api_read", "low", "Management API read that returned a secret", "シークレットを返したManagement APIの読み取り"),
  type("api_limit_warning", "low", "API rate limit nearly reached", "APIのレート制限に接近"),
  type("organization_member_added", "low", "Organization member added", "組織へのメンバー追加"),
  sapi("/", "low", ...managementApi("Other change", "その他の変更")),
];

/** An override's key spelled as the catalogue's: `sapi:` routes without the `/api` prefix, methods upper-cased. */
function catalogueKey(key: string): string {
  return key.startsWith("sapi:") ? `sapi:${sapiRouteKey(parseSapiRoute(key.slice("sapi:".length)))}` : key;
}

/** The entry an override adds: a log type (named by the table, else by its code), or writes under a path. */
function addedEntry(key: string, severity: Severity): Auth0Entry {
  if (key.startsWith("sapi:")) {
    const route = key.slice("sapi:".length);
    return { key, severity, label: { en: `Management API write to ${route}`, ja: `Management APIによる${route}への書き込み` }, match: parseSapiRoute(route) };
  }
  const words = auth0LogTypeWords(key) ?? { en: key, ja: key };
  return { key, severity, label: words, match: { type: key } };
}

const catalogueFor = perOverrides((overrides: SeverityOverrides) => applySeverityOverrides(AUTH0_SEVERITY_CATALOGUE, overrides, addedEntry, catalogueKey));

function matches(match: Auth0Match, type: string, write: SapiWrite | null): boolean {
  if ("type" in match) return match.type === type;
  return write !== null && routeMatches(match, write);
}

/** The catalogue entry of an Auth0 event under the configuration, or null. */
export function auth0SeverityOf(event: ClassifiableEvent, config: Pick<Config, "auth0Severity">): SeverityEntry | null {
  const write = sapiWrite(event);
  const entry = catalogueFor(config.auth0Severity).find((candidate) => matches(candidate.match, event.action, write));
  return entry ? { severity: entry.severity, label: entry.label } : null;
}

/** Longest path shown in a Management API event's words. */
const MAX_PATH = 200;

/**
 * An Auth0 event's action in words: its type's, or for a Management API call "Management API:
 * <METHOD> <path>" (the path as logged, without its query).
 */
export function describeAuth0Event(event: ClassifiableEvent): Words | null {
  if (event.action === "sapi") {
    const request = sapiRequest(unwrapAuth0Envelope(event.raw));
    if (request !== null && /^[A-Z]{1,10}$/.test(request.method) && request.path !== "") {
      const call = `${request.method} ${request.path.slice(0, MAX_PATH)}`;
      return { en: `Management API: ${call}`, ja: `Management API: ${call}` };
    }
  }
  return auth0LogTypeWords(event.action);
}
