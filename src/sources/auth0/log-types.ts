/**
 * Auth0's log types (data): each type code with its words in both report languages, its category
 * in Auth0's "Log Stream Filters", its outcome, and whether it is critical or an export by default.
 *
 * Sources:
 * - Codes and English words: github:auth0/auth0-log-schemas at commit 8b58c73f4a832941866c02469ae8c428efda5ef4
 *   (schemas/log-types/<code>.schema.json, 166 types; the `type` property's description, else the
 *   schema's). test/fixtures/auth0/log-schemas-types.json lists those 166 codes with that commit, and
 *   test/auth0/log-types.test.ts fails when one is missing here.
 * - Types the schemas leave out or untitled: Auth0's "Log Type Codes" page
 *   (https://auth0.com/docs/deploy-monitor/logs/log-event-type-codes; github:auth0/docs-v2
 *   main/docs/deploy-monitor/logs/log-event-type-codes.mdx at 9ee7af2e): du, fc, signup_pwd_leak,
 *   gd_user_delete, gd_recovery_rate_limit_exceed, gd_auth_fail_email_verification,
 *   gd_send_email_verification_failure, too_many_records; and the "Log Stream Filters" page's system
 *   notifications: admin_update_launch, coff, con, sys_os_update_start/end, sys_update_start/end.
 *   "MFA" is made explicit for the gd_* (Guardian) types; directory_sync_failed/started and the gd_*
 *   types named on neither page are in our words. Japanese: our translation.
 * - category: the filter that lists the type on Auth0's "Log Stream Filters" page
 *   (https://auth0.com/docs/customize/log-streams/event-filters; github:auth0/docs-v2
 *   main/docs/customize/log-streams/event-filters.mdx at 092b879e; its lists are checked in as
 *   test/fixtures/auth0/log-stream-filters.json), spelled as the Management API names the filter
 *   (`filters[].name` of a log stream: auth.login.success, management.success, ...). A type no
 *   filter lists is "other", as Auth0 files it ("This category contains unclassified events").
 * - outcome, topic, critical and export: ours. A block, a rate limit reached or a breached password
 *   refused is a failure; a notice, a warning or a step started is neutral. Every block and rate
 *   limit, every breached password, MFA removed or its settings changed, a user deleted, a
 *   Management API read that returned secrets, refresh-token reuse and a failed connector
 *   provisioning are critical by default (AUTH0_CRITICAL_TYPES changes the list). No log type is an
 *   export by itself: a users export is a Management API job (sapi, POST /api/v2/jobs/users-exports,
 *   ./classification.ts).
 */
import type { Words } from "../contract.ts";

/** Auth0's log-stream filter categories (the names the Management API gives them), and "other" for types on none. */
export type Auth0Category =
  | "actions"
  | "auth.login.fail" | "auth.login.notification" | "auth.login.success"
  | "auth.logout.fail" | "auth.logout.success"
  | "auth.signup.fail" | "auth.signup.success"
  | "auth.silent_auth.fail" | "auth.silent_auth.success"
  | "auth.token_exchange.fail" | "auth.token_exchange.success"
  | "management.fail" | "management.success"
  | "scim.event"
  | "system.notification"
  | "user.fail" | "user.notification" | "user.success"
  | "other";

/** What the event says happened: it succeeded, it failed (or was refused), or neither (a notice, a step started). */
export type Auth0Outcome = "success" | "failure" | "neutral";

/** Groups the stream filters do not name: blocks and rate limits, breached passwords, MFA (Guardian). */
export type Auth0Topic = "block" | "breached-password" | "mfa";

/** One log type: its words, its category and outcome, and its default flags. */
export interface Auth0LogType extends Words {
  category: Auth0Category;
  outcome: Auth0Outcome;
  topic: Auth0Topic | null;
  /** Critical by default (AUTH0_CRITICAL_TYPES's default). */
  critical: boolean;
  /** An export by default. */
  export: boolean;
}

export const AUTH0_LOG_TYPE_TABLE: Readonly<Record<string, Auth0LogType>> = {
  acls_summary: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Network ACLs summary", ja: "ネットワークACLの集計" },
  actions_execution_failed: { category: "actions", outcome: "failure", topic: null, critical: false, export: false, en: "Execution of an Action failed", ja: "Actionの実行に失敗" },
  acul_sdk_notice: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Advanced Customizations for Universal Login (ACUL) SDK event type", ja: "ACUL SDKの通知" },
  admin_update_launch: { category: "system.notification", outcome: "neutral", topic: null, critical: false, export: false, en: "Auth0 Update Launched", ja: "Auth0の更新の開始" },
  api_limit: { category: "system.notification", outcome: "failure", topic: "block", critical: true, export: false, en: "Rate Limit notice on Authentication or Management API", ja: "Authentication/Management APIのレート制限に到達" },
  api_limit_warning: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Rate Limit Warning notice on Authentication or Management API", ja: "Authentication/Management APIのレート制限に接近" },
  appi: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Notice for API Peak Performance Initiated", ja: "APIピークパフォーマンスの開始" },
  ciba_exchange_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed CIBA Exchange", ja: "CIBAの交換に失敗" },
  ciba_exchange_succeeded: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful CIBA Exchange", ja: "CIBAの交換に成功" },
  ciba_start_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed CIBA Start", ja: "CIBAの開始に失敗" },
  ciba_start_succeeded: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful CIBA Start", ja: "CIBAの開始に成功" },
  cls: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Code or Link Sent for Passwordless Login", ja: "パスワードレスログインのコード/リンクを送信" },
  coff: { category: "system.notification", outcome: "failure", topic: null, critical: false, export: false, en: "AD/LDAP Connector is offline", ja: "AD/LDAPコネクターがオフライン" },
  con: { category: "system.notification", outcome: "success", topic: null, critical: false, export: false, en: "AD/LDAP Connector is online and working", ja: "AD/LDAPコネクターがオンライン" },
  connected_accounts_connection_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed connected account connection", ja: "外部アカウントの連携に失敗" },
  connected_accounts_connection_succeeded: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful connected account connection", ja: "外部アカウントの連携に成功" },
  connected_accounts_delete_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed connected account delete", ja: "連携した外部アカウントの削除に失敗" },
  connected_accounts_delete_succeeded: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful connected account delete", ja: "連携した外部アカウントの削除に成功" },
  cs: { category: "user.notification", outcome: "success", topic: null, critical: false, export: false, en: "Code Sent for Passwordless Login", ja: "パスワードレスログインのコードを送信" },
  custom_domain_verification_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Custom Domain Verification Failed", ja: "カスタムドメインの検証に失敗" },
  depnote: { category: "system.notification", outcome: "neutral", topic: null, critical: false, export: false, en: "Deprecation Notice", ja: "非推奨機能の通知" },
  directory_sync_completed: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Inbound Directory Sync", ja: "インバウンドディレクトリ同期の完了" },
  directory_sync_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Inbound Directory Sync failed", ja: "インバウンドディレクトリ同期に失敗" },
  directory_sync_started: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Inbound Directory Sync started", ja: "インバウンドディレクトリ同期の開始" },
  du: { category: "other", outcome: "success", topic: null, critical: true, export: false, en: "Deleted User", ja: "ユーザーの削除" },
  f: { category: "auth.login.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Login", ja: "ログインに失敗" },
  failed_on_behalf_of_token_exchange: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange via On-Behalf-Of Token Exchange", ja: "On-Behalf-Ofトークン交換に失敗" },
  fc: { category: "auth.login.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed by Connector", ja: "コネクターによるログインに失敗" },
  fce: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Change Email", ja: "メールアドレスの変更に失敗" },
  fco: { category: "auth.login.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed due to CORS", ja: "CORSにより失敗" },
  fcoa: { category: "auth.login.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Cross-Origin Authentication", ja: "クロスオリジン認証に失敗" },
  fcp: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Change Password", ja: "パスワードの変更に失敗" },
  fcph: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Post Change Password Hook", ja: "パスワード変更後フックに失敗" },
  fcpn: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Change Phone Number", ja: "電話番号の変更に失敗" },
  fcpr: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Change Password Request", ja: "パスワード変更リクエストに失敗" },
  fcpro: { category: "system.notification", outcome: "failure", topic: null, critical: true, export: false, en: "Failed Connector Provisioning", ja: "コネクターのプロビジョニングに失敗" },
  fcu: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Change Username", ja: "ユーザー名の変更に失敗" },
  fd: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Delegation", ja: "委任に失敗" },
  fdeac: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Device Confirmation - Device Activation Failure", ja: "デバイス確認に失敗（デバイスの有効化）" },
  fdeaz: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Device Confirmation - Request Failure", ja: "デバイス確認に失敗（リクエスト）" },
  fdecc: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Device Confirmation - User Canceled", ja: "デバイス確認に失敗（ユーザーがキャンセル）" },
  fdeleacft: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed to Exchange Delegated Authorization Code for Access Token", ja: "委任された認可コードからアクセストークンへの交換に失敗" },
  fdelsa: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Delegated Silent Authentication", ja: "委任されたサイレント認証に失敗" },
  fdu: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed User Deletion", ja: "ユーザーの削除に失敗" },
  feacft: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Authorization Code for Access Token", ja: "認可コードからアクセストークンへの交換に失敗" },
  feccft: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Access Token for a Client Credentials Grant", ja: "クライアントクレデンシャルによるアクセストークンの交換に失敗" },
  fecte: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange via Custom Token Exchange", ja: "カスタムトークン交換に失敗" },
  fede: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Device Code for Access Token", ja: "デバイスコードからアクセストークンへの交換に失敗" },
  federated_logout_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Federated Logout request", ja: "フェデレーションログアウトに失敗" },
  fens: { category: "auth.login.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange for Native Social Login", ja: "ネイティブソーシャルログインの交換に失敗" },
  feoobft: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Password and OOB Challenge for Access Token", ja: "パスワードとOOBチャレンジによるアクセストークンの交換に失敗" },
  feotpft: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Password and OTP Challenge for Access Token", ja: "パスワードとOTPチャレンジによるアクセストークンの交換に失敗" },
  fepft: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Password for Access Token", ja: "パスワードによるアクセストークンの交換に失敗" },
  fepotpft: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Passwordless OTP for Access Token", ja: "パスワードレスOTPによるアクセストークンの交換に失敗" },
  fercft: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Password and MFA Recovery Code for Access Token", ja: "パスワードとMFAリカバリーコードによるアクセストークンの交換に失敗" },
  ferrt: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: true, export: false, en: "Failed Exchange of Rotating Refresh Token", ja: "ローテーションするリフレッシュトークンの交換に失敗" },
  fertft: { category: "auth.token_exchange.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Refresh Token for Access Token", ja: "リフレッシュトークンからアクセストークンへの交換に失敗" },
  feta: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Refresh Token for Token for 3rd party API", ja: "Token Vaultでのトークン交換に失敗" },
  fi: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Invite Accept", ja: "招待の承諾に失敗" },
  flo: { category: "auth.logout.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Logout", ja: "ログアウトに失敗" },
  flows_execution_completed: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Flows Execution Completed", ja: "Flowの実行完了" },
  flows_execution_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Flows Execution Failed", ja: "Flowの実行に失敗" },
  fn: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Notification", ja: "通知の送信に失敗" },
  forms_submission_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Forms Submission Failed", ja: "フォームの送信に失敗" },
  forms_submission_succeeded: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Forms Submission Succeeded", ja: "フォームの送信に成功" },
  fp: { category: "auth.login.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Login - Invalid Password", ja: "ログインに失敗（パスワード誤り）" },
  fpar: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Push Authorization Request", ja: "プッシュ認可リクエスト（PAR）に失敗" },
  fpurh: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Post User Registration Hook", ja: "ユーザー登録後フックに失敗" },
  fs: { category: "auth.signup.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Signup", ja: "サインアップに失敗" },
  fsa: { category: "auth.silent_auth.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Silent Auth", ja: "サイレント認証に失敗" },
  fscim: { category: "scim.event", outcome: "failure", topic: null, critical: false, export: false, en: "Failed SCIM Operation", ja: "SCIM操作に失敗" },
  fu: { category: "auth.login.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Login - Invalid username", ja: "ログインに失敗（ユーザー名誤り）" },
  fui: { category: "system.notification", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Users Import", ja: "ユーザーのインポートに失敗" },
  fv: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Verification Email", ja: "確認メールの送信に失敗" },
  fvr: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Verification Email Request", ja: "確認メールのリクエストに失敗" },
  gd_auth_email_verification: { category: "other", outcome: "success", topic: "mfa", critical: false, export: false, en: "MFA email verification succeeded", ja: "MFAのメール確認に成功" },
  gd_auth_fail_email_verification: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "MFA email verification failed", ja: "MFAのメール確認に失敗" },
  gd_auth_failed: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "MFA Auth failed", ja: "多要素認証に失敗" },
  gd_auth_rejected: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "MFA Auth rejected", ja: "多要素認証を拒否" },
  gd_auth_succeed: { category: "other", outcome: "success", topic: "mfa", critical: false, export: false, en: "MFA Auth success", ja: "多要素認証に成功" },
  gd_enrollment_complete: { category: "user.notification", outcome: "success", topic: "mfa", critical: false, export: false, en: "MFA enrollment complete", ja: "MFAの登録完了" },
  gd_otp_rate_limit_exceed: { category: "other", outcome: "failure", topic: "block", critical: true, export: false, en: "Too many MFA failures", ja: "ワンタイムパスワードの失敗が多すぎる" },
  gd_recovery_failed: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "MFA recovery failed", ja: "MFAリカバリーコードの使用に失敗" },
  gd_recovery_rate_limit_exceed: { category: "other", outcome: "failure", topic: "block", critical: true, export: false, en: "Too many MFA recovery failures", ja: "MFAリカバリーコードの失敗が多すぎる" },
  gd_recovery_succeed: { category: "other", outcome: "success", topic: "mfa", critical: false, export: false, en: "MFA recovery success", ja: "MFAリカバリーコードの使用に成功" },
  gd_send_email: { category: "other", outcome: "success", topic: "mfa", critical: false, export: false, en: "MFA email sent", ja: "MFAのメールを送信" },
  gd_send_email_verification: { category: "other", outcome: "success", topic: "mfa", critical: false, export: false, en: "MFA verification email sent", ja: "MFAの確認メールを送信" },
  gd_send_email_verification_failure: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "MFA verification email failed", ja: "MFAの確認メールの送信に失敗" },
  gd_send_pn: { category: "other", outcome: "success", topic: "mfa", critical: false, export: false, en: "MFA push notification sent", ja: "MFAのプッシュ通知を送信" },
  gd_send_pn_failure: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "Push notification for MFA failed", ja: "MFAのプッシュ通知の送信に失敗" },
  gd_send_sms: { category: "other", outcome: "success", topic: "mfa", critical: false, export: false, en: "MFA SMS sent", ja: "MFAのSMSを送信" },
  gd_send_sms_failure: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "MFA SMS failed", ja: "MFAのSMSの送信に失敗" },
  gd_send_voice: { category: "other", outcome: "success", topic: "mfa", critical: false, export: false, en: "MFA voice call made", ja: "MFAの音声通話を発信" },
  gd_send_voice_failure: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "MFA voice call failed", ja: "MFAの音声通話の発信に失敗" },
  gd_start_auth: { category: "other", outcome: "neutral", topic: "mfa", critical: false, export: false, en: "MFA second factor started", ja: "多要素認証の開始" },
  gd_start_enroll: { category: "user.notification", outcome: "neutral", topic: "mfa", critical: false, export: false, en: "MFA enroll started", ja: "MFA登録の開始" },
  gd_start_enroll_failed: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "MFA enrollment start failed", ja: "MFA登録の開始に失敗" },
  gd_tenant_update: { category: "other", outcome: "success", topic: "mfa", critical: true, export: false, en: "Guardian tenant update", ja: "Guardian（MFA）テナント設定の更新" },
  gd_unenroll: { category: "user.notification", outcome: "success", topic: "mfa", critical: true, export: false, en: "Unenroll MFA device account", ja: "MFAデバイスの登録解除" },
  gd_update_device_account: { category: "user.notification", outcome: "success", topic: "mfa", critical: false, export: false, en: "Update MFA device account", ja: "MFAデバイスアカウントの更新" },
  gd_user_delete: { category: "other", outcome: "success", topic: "mfa", critical: true, export: false, en: "MFA user account deleted", ja: "MFAユーザーアカウントの削除" },
  gd_webauthn_challenge_failed: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "WebAuthn challenge failed", ja: "WebAuthnチャレンジに失敗" },
  gd_webauthn_enrollment_failed: { category: "other", outcome: "failure", topic: "mfa", critical: false, export: false, en: "WebAuthn enrollment failed", ja: "WebAuthnの登録に失敗" },
  idjag_exchange_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of Identity Assertion Authorization Grant JWT for Access Token", ja: "ID-JAG（Identity Assertion Authorization Grant）によるアクセストークンの交換に失敗" },
  idjag_exchange_succeeded: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Identity Assertion Authorization Grant JWT for Access Token", ja: "ID-JAG（Identity Assertion Authorization Grant）によるアクセストークンの交換に成功" },
  jwt_bearer_exchange_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Exchange of JWT Bearer Assertion for Access Token", ja: "JWTベアラーアサーションによるアクセストークンの交換に失敗" },
  kms_key_management_failure: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed KMS API operation", ja: "KMS API操作に失敗" },
  kms_key_management_success: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful KMS API operation", ja: "KMS API操作に成功" },
  kms_key_state_changed: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "KMS key state change", ja: "KMS鍵の状態変更" },
  limit_delegation: { category: "system.notification", outcome: "failure", topic: "block", critical: true, export: false, en: "Blocked Account - Too many Delegation requests", ja: "アカウントのブロック（委任リクエストが多すぎる）" },
  limit_mu: { category: "system.notification", outcome: "failure", topic: "block", critical: true, export: false, en: "Blocked Account - Too many attempts or signups", ja: "アカウントのブロック（試行またはサインアップが多すぎる）" },
  limit_phone: { category: "other", outcome: "failure", topic: "block", critical: true, export: false, en: "Blocked Phone Delivery - Too many phone delivery attempts", ja: "電話配信のブロック（配信の試行が多すぎる）" },
  limit_sul: { category: "other", outcome: "failure", topic: "block", critical: true, export: false, en: "Blocked Account - Logins per IP", ja: "アカウントのブロック（同一IPからのログイン数）" },
  limit_wc: { category: "system.notification", outcome: "failure", topic: "block", critical: true, export: false, en: "Blocked Account - Failed Logins", ja: "アカウントのブロック（ログイン失敗）" },
  mfar: { category: "other", outcome: "neutral", topic: "mfa", critical: false, export: false, en: "MFA Required", ja: "MFAが必要" },
  mgmt_api_read: { category: "management.success", outcome: "success", topic: null, critical: true, export: false, en: "Management API Read Operation", ja: "Management APIの読み取り操作" },
  my_account_authentication_method_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed authentication method operation in My Account API", ja: "My Account APIでの認証方法の操作に失敗" },
  my_account_authentication_method_succeeded: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful authentication method operation in My Account API", ja: "My Account APIでの認証方法の操作に成功" },
  oidc_backchannel_logout_failed: { category: "auth.logout.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed OIDC Back-Channel Logout request", ja: "OIDCバックチャネルログアウトに失敗" },
  oidc_backchannel_logout_succeeded: { category: "auth.logout.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful OIDC Back-Channel Logout request", ja: "OIDCバックチャネルログアウトに成功" },
  organization_member_added: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Organization Member Added Operation", ja: "組織へのメンバー追加" },
  passkey_challenge_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "A native passkey challenge failed", ja: "ネイティブパスキーのチャレンジに失敗" },
  passkey_challenge_started: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "A native passkey challenge was successfully initiated", ja: "ネイティブパスキーのチャレンジを開始" },
  pla: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Pre-Login Assessment", ja: "ログイン前評価" },
  pwd_leak: { category: "other", outcome: "failure", topic: "breached-password", critical: true, export: false, en: "Breached Password - Login", ja: "漏洩したパスワード（ログイン）" },
  reset_pwd_leak: { category: "other", outcome: "failure", topic: "breached-password", critical: true, export: false, en: "Breached Password - Reset", ja: "漏洩したパスワード（リセット）" },
  resource_cleanup: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Refresh Token Excess Warning", ja: "リフレッシュトークン超過の警告" },
  rich_consents_access_error: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed get rich consent record request", ja: "リッチ同意レコードの取得に失敗" },
  s: { category: "auth.login.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Login", ja: "ログインに成功" },
  sapi: { category: "management.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful API Operation", ja: "API操作に成功" },
  sce: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Change Email", ja: "メールアドレスの変更に成功" },
  scoa: { category: "auth.login.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Cross-Origin Authentication", ja: "クロスオリジン認証に成功" },
  scp: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Change Password", ja: "パスワードの変更に成功" },
  scpn: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Change Phone Number", ja: "電話番号の変更に成功" },
  scpr: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Change Password Request", ja: "パスワード変更リクエストに成功" },
  scu: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Change Username", ja: "ユーザー名の変更に成功" },
  scv: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Credential Validation", ja: "資格情報の検証に成功" },
  sd: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Delegation", ja: "委任に成功" },
  sdel: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Delegated Login", ja: "委任されたログインに成功" },
  sdeleacft: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Delegated Authorization Code for Access Token", ja: "委任された認可コードからアクセストークンへの交換に成功" },
  sdelsa: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Delegated Silent Authentication", ja: "委任されたサイレント認証に成功" },
  sdu: { category: "user.success", outcome: "success", topic: null, critical: true, export: false, en: "Successful User Deletion", ja: "ユーザーの削除に成功" },
  seacft: { category: "auth.token_exchange.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Authorization Code for Access Token", ja: "認可コードからアクセストークンへの交換に成功" },
  seccft: { category: "auth.token_exchange.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Access Token for a Client Credentials Grant", ja: "クライアントクレデンシャルによるアクセストークンの交換に成功" },
  secte: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange via Custom Token Exchange", ja: "カスタムトークン交換に成功" },
  sede: { category: "auth.token_exchange.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Device Code for Access Token", ja: "デバイスコードからアクセストークンへの交換に成功" },
  sens: { category: "auth.login.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange Native Login", ja: "ネイティブソーシャルログインの交換に成功" },
  seoobft: { category: "auth.token_exchange.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Password and OOB Challenge for Access Token", ja: "パスワードとOOBチャレンジによるアクセストークンの交換に成功" },
  seotpft: { category: "auth.token_exchange.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Password and OTP Challenge for Access Token", ja: "パスワードとOTPチャレンジによるアクセストークンの交換に成功" },
  sepft: { category: "auth.token_exchange.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Password for Access Token", ja: "パスワードによるアクセストークンの交換に成功" },
  sepkoobft: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Passkey and OOB Challenge for Access Token", ja: "パスキーとOOBチャレンジによるアクセストークンの交換に成功" },
  sepkotpft: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Passkey and OTP Challenge for Access Token", ja: "パスキーとOTPチャレンジによるアクセストークンの交換に成功" },
  sepkrcft: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Passkey and MFA Recovery Code for Access Token", ja: "パスキーとMFAリカバリーコードによるアクセストークンの交換に成功" },
  sercft: { category: "auth.token_exchange.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Password and MFA Recovery Code for Access Token", ja: "パスワードとMFAリカバリーコードによるアクセストークンの交換に成功" },
  sertft: { category: "auth.token_exchange.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Refresh Token for Access Token", ja: "リフレッシュトークンからアクセストークンへの交換に成功" },
  seta: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange of Refresh Token for Token for 3rd party API", ja: "Token Vaultでのトークン交換に成功" },
  si: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Invite Accept", ja: "招待の承諾に成功" },
  signup_pwd_leak: { category: "other", outcome: "failure", topic: "breached-password", critical: true, export: false, en: "Breached Password - Signup", ja: "漏洩したパスワード（サインアップ）" },
  slo: { category: "auth.logout.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Logout", ja: "ログアウトに成功" },
  srrt: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Refresh Token Revocation", ja: "リフレッシュトークンの失効に成功" },
  ss: { category: "auth.signup.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Signup", ja: "サインアップに成功" },
  ss_sso_failure: { category: "user.fail", outcome: "failure", topic: null, critical: false, export: false, en: "Failed SS-SSO Operation", ja: "セルフサービスSSOの操作に失敗" },
  ss_sso_info: { category: "user.notification", outcome: "neutral", topic: null, critical: false, export: false, en: "Information from an SS-SSO Operation", ja: "セルフサービスSSOの操作の情報" },
  ss_sso_success: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful SS-SSO Operation", ja: "セルフサービスSSOの操作に成功" },
  ssa: { category: "auth.silent_auth.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Silent Auth", ja: "サイレント認証に成功" },
  sscim: { category: "scim.event", outcome: "success", topic: null, critical: false, export: false, en: "Successful SCIM Operation", ja: "SCIM操作に成功" },
  success_on_behalf_of_token_exchange: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Exchange via On-Behalf-Of Token Exchange", ja: "On-Behalf-Ofトークン交換に成功" },
  sui: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Users Import", ja: "ユーザーのインポートに成功" },
  sv: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Verification Email", ja: "確認メールによる確認に成功" },
  svr: { category: "user.success", outcome: "success", topic: null, critical: false, export: false, en: "Successful Verification Email Request", ja: "確認メールのリクエストに成功" },
  sys_os_update_end: { category: "system.notification", outcome: "neutral", topic: null, critical: false, export: false, en: "Auth0 OS Update Ended", ja: "Auth0のOS更新の終了" },
  sys_os_update_start: { category: "system.notification", outcome: "neutral", topic: null, critical: false, export: false, en: "Auth0 OS Update Started", ja: "Auth0のOS更新の開始" },
  sys_update_end: { category: "system.notification", outcome: "neutral", topic: null, critical: false, export: false, en: "Auth0 Update Ended", ja: "Auth0の更新の終了" },
  sys_update_start: { category: "system.notification", outcome: "neutral", topic: null, critical: false, export: false, en: "Auth0 Update Started", ja: "Auth0の更新の開始" },
  too_many_records: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Max Amount of Authenticators", ja: "認証器の登録数が上限に到達" },
  ublkdu: { category: "user.notification", outcome: "success", topic: null, critical: false, export: false, en: "User login block released", ja: "ユーザーのログインブロックの解除" },
  universal_logout_failed: { category: "other", outcome: "failure", topic: null, critical: false, export: false, en: "Failed Universal Logout request", ja: "ユニバーサルログアウトに失敗" },
  universal_logout_succeeded: { category: "other", outcome: "success", topic: null, critical: false, export: false, en: "Successful Universal Logout request", ja: "ユニバーサルログアウトに成功" },
  w: { category: "auth.login.notification", outcome: "neutral", topic: null, critical: false, export: false, en: "Warning", ja: "警告" },
  wn: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Warning Notifications", ja: "警告通知" },
  wum: { category: "other", outcome: "neutral", topic: null, critical: false, export: false, en: "Warning User Management", ja: "ユーザー管理の警告" },
};

/** The log types' words alone (the catalogue's names and the report's descriptions). */
export const AUTH0_LOG_TYPES: Readonly<Record<string, Words>> = Object.fromEntries(
  Object.entries(AUTH0_LOG_TYPE_TABLE).map(([code, type]) => [code, { en: type.en, ja: type.ja }]),
);

/** A log type's row, or null for a code the table does not know (stored all the same, shown as its code). */
export function auth0LogType(code: string): Auth0LogType | null {
  return Object.hasOwn(AUTH0_LOG_TYPE_TABLE, code) ? AUTH0_LOG_TYPE_TABLE[code]! : null;
}

/** The words of a log type, or null for a type the table does not know. */
export function auth0LogTypeWords(code: string): Words | null {
  return Object.hasOwn(AUTH0_LOG_TYPES, code) ? AUTH0_LOG_TYPES[code]! : null;
}

/** The log types critical by default, in the table's order. */
export const AUTH0_CRITICAL_BY_DEFAULT: readonly string[] = Object.keys(AUTH0_LOG_TYPE_TABLE).filter((code) => AUTH0_LOG_TYPE_TABLE[code]!.critical);
