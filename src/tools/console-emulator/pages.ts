/**
 * The emulated console's pages, in Japanese or English. The login form is built by script (the
 * HTML itself has no `<input>`), as on the real console; the other pages are rendered on the
 * server. Every value from the audit log is HTML-escaped.
 */
import type { ConsoleLang } from "./audit-log.ts";

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A JavaScript string literal safe inside a `<script>` element. */
export function jsString(text: string): string {
  return JSON.stringify(text).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** Maps an element's id/name to what the page uses (the "changed page" switch renames one). */
export type Namer = (name: string) => string;

const LABELS = {
  ja: {
    title: "cybozu.com",
    loginTitle: "ログイン",
    username: "ログイン名",
    password: "パスワード",
    keep: "ログイン名を保存する",
    login: "ログイン",
    badLogin: "ログイン名またはパスワードが正しくありません。",
    code: "確認コード",
    codeHelp: "認証アプリに表示されている6桁の確認コードを入力してください。",
    badCode: "確認コードが正しくありません。",
    addressTitle: "アクセスできません",
    addressRefused: (address: string) => `このIPアドレス（${address}）からのアクセスは許可されていません。`,
    portal: "ポータル",
    admin: "cybozu.com共通管理",
    logout: "ログアウト",
    auditlog: "監査ログ",
    users: "組織/ユーザー",
    security: "セキュリティ",
    start: "開始日時",
    end: "終了日時",
    search: "検索",
    download: "CSVファイルに書き出す",
    count: (n: number) => `${n.toLocaleString("ja-JP")}件`,
    newest: (n: number) => `新しい順に${n}件を表示しています。`,
    none: "該当する監査ログはありません。",
    badRange: "開始日時と終了日時を正しく指定してください。",
    outOfWindow: (days: number) => `書き出せるのは過去${days}日以内の監査ログです。それより前のログはアーカイブをダウンロードしてください。`,
    badRequest: "不正なリクエストです。",
    errorTitle: "エラー",
    saml: "シングルサインオン（SAML）でログインしてください。",
    columns: ["日時", "レベル", "サービス", "ユーザー", "IPアドレス", "モジュール", "アクション", "結果", "補足"],
  },
  en: {
    title: "cybozu.com",
    loginTitle: "Login",
    username: "Login name",
    password: "Password",
    keep: "Remember login name",
    login: "Login",
    badLogin: "The login name or password is incorrect.",
    code: "Verification code",
    codeHelp: "Enter the 6-digit verification code shown in your authentication app.",
    badCode: "The verification code is incorrect.",
    addressTitle: "Access denied",
    addressRefused: (address: string) => `Access from this IP address (${address}) is not allowed.`,
    portal: "Portal",
    admin: "cybozu.com Common Administration",
    logout: "Log out",
    auditlog: "Audit Logs",
    users: "Departments & Users",
    security: "Security",
    start: "From",
    end: "To",
    search: "Search",
    download: "Export to CSV file",
    count: (n: number) => `${n.toLocaleString("en-US")} entries`,
    newest: (n: number) => `Showing the newest ${n}.`,
    none: "No audit log entries match.",
    badRange: "Enter a valid start and end date and time.",
    outOfWindow: (days: number) => `Only the last ${days} days can be exported. Download the archive for older logs.`,
    badRequest: "Invalid request.",
    errorTitle: "Error",
    saml: "Sign in with single sign-on (SAML).",
    columns: ["Date", "Level", "Service", "User", "IP Address", "Module", "Action", "Result", "Complement"],
  },
} as const;

export function labels(lang: ConsoleLang) {
  return LABELS[lang];
}

function layout(lang: ConsoleLang, title: string, body: string, head = ""): string {
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: sans-serif; margin: 0; color: #333; }
header { background: #f5f5f5; border-bottom: 1px solid #ddd; padding: 8px 16px; display: flex; gap: 16px; align-items: center; }
main { padding: 16px; }
table { border-collapse: collapse; font-size: 12px; }
td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; white-space: pre-wrap; }
.login-error { color: #c00; }
</style>
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

/** The login page: no inputs, a request token and a script that builds the form. */
export function loginPage(lang: ConsoleLang, token: string, redirect: string): string {
  const l = labels(lang);
  const head = `<script>
var cybozu = window.cybozu || {};
cybozu.data = cybozu.data || {};
cybozu.data.REQUEST_TOKEN = '${token}';
cybozu.data.LOGIN_REDIRECT = ${jsString(redirect)};
cybozu.data.LOGIN_LABELS = ${jsString(JSON.stringify({ username: l.username, password: l.password, keep: l.keep, login: l.login, badLogin: l.badLogin, code: l.code, codeHelp: l.codeHelp, badCode: l.badCode }))};
window.cybozu = cybozu;
</script>
<script src="/static/js/login.js" defer></script>`;
  return layout(lang, `${l.loginTitle} - ${l.title}`, `<main><h1>${escapeHtml(l.title)}</h1><div id="login-form-outer" class="login-outer"></div><noscript>JavaScript</noscript></main>`, head);
}

/**
 * The script that renders the login form and performs the two-step login (login.json, then
 * redirect.do). With two-factor authentication on, login.json answers `verification: "totp"`
 * and the form is replaced by the verification-code form, which posts the code to totp.json.
 */
export function loginScript(name: Namer): string {
  const n = (s: string) => jsString(name(s));
  return `(function () {
  "use strict";
  var data = window.cybozu.data;
  var L = JSON.parse(data.LOGIN_LABELS);
  var seq = 0;
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function field(label, input) {
    var row = el("div", { "class": "form-row" });
    var lab = el("label", { "for": input.id });
    lab.textContent = label;
    row.appendChild(lab);
    row.appendChild(input);
    return row;
  }
  var form = el("form", { id: "login-form", "class": "form-login", method: "post", action: "/api/auth/login.json", autocomplete: "on" });
  var username = el("input", { type: "text", name: ${n("username")}, id: ${n("username")} + "-:" + (seq++) + "-text", "class": "form-username-slash", autocomplete: "username" });
  var password = el("input", { type: "password", name: ${n("password")}, id: ${n("password")} + "-:" + (seq++) + "-text", "class": "form-password-slash", autocomplete: "current-password" });
  var redirect = el("input", { type: "hidden", name: "redirect", value: data.LOGIN_REDIRECT });
  var keep = el("input", { type: "checkbox", name: "keepUsername", id: "keepUsername-:" + (seq++), value: "1" });
  var button = el("input", { type: "submit", "class": ${n("login-button")}, value: L.login });
  var error = el("div", { "class": "login-error", role: "alert" });
  error.hidden = true;
  form.appendChild(field(L.username, username));
  form.appendChild(field(L.password, password));
  form.appendChild(redirect);
  var keepRow = el("div", { "class": "form-row" });
  var keepLabel = el("label", { "for": keep.id });
  keepLabel.textContent = L.keep;
  keepRow.appendChild(keep);
  keepRow.appendChild(keepLabel);
  form.appendChild(keepRow);
  form.appendChild(button);
  form.appendChild(error);
  document.getElementById("login-form-outer").appendChild(form);
  var code = null;
  var codeTarget = "/";
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    error.hidden = true;
    if (code) {
      sendCode();
      return;
    }
    var body = { username: username.value, password: password.value, keepUsername: keep.checked, redirect: redirect.value, __REQUEST_TOKEN__: data.REQUEST_TOKEN };
    fetch("/api/auth/login.json", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest" }, body: JSON.stringify(body) })
      .then(function (res) { return res.json(); })
      .then(function (json) {
        if (!json.success) throw new Error(json.message || L.badLogin);
        if (json.result.verification === "totp") askCode(json.result.redirect);
        else enter(json.result.redirect);
      })
      .catch(function (e) {
        error.textContent = e.message || L.badLogin;
        error.hidden = false;
        button.disabled = false;
      });
  });
  function enter(target) {
    var next = el("form", { method: "post", action: "/api/auth/redirect.do" });
    next.appendChild(el("input", { type: "hidden", name: "redirect", value: target }));
    next.appendChild(el("input", { type: "hidden", name: "__REQUEST_TOKEN__", value: data.REQUEST_TOKEN }));
    document.body.appendChild(next);
    next.submit();
  }
  function askCode(target) {
    codeTarget = target;
    while (form.firstChild) form.removeChild(form.firstChild);
    form.setAttribute("action", "/api/auth/totp.json");
    var help = el("p", { "class": "form-help" });
    help.textContent = L.codeHelp;
    code = el("input", { type: "text", name: ${n("verificationCode")}, id: ${n("verificationCode")} + "-:" + (seq++) + "-text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "6" });
    form.appendChild(help);
    form.appendChild(field(L.code, code));
    form.appendChild(button);
    form.appendChild(error);
    button.disabled = false;
    error.hidden = true;
    code.focus();
  }
  function sendCode() {
    fetch("/api/auth/totp.json", { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "X-Requested-With": "XMLHttpRequest" }, body: JSON.stringify({ code: code.value, __REQUEST_TOKEN__: data.REQUEST_TOKEN }) })
      .then(function (res) { return res.json(); })
      .then(function (json) {
        if (!json.success) throw new Error(json.message || L.badCode);
        enter(codeTarget);
      })
      .catch(function (e) {
        error.textContent = e.message || L.badCode;
        error.hidden = false;
        button.disabled = false;
        code.value = "";
      });
  }
})();
`;
}

/** A page that sends the browser to the login page by script (what unauthenticated pages return). */
export function scriptRedirectToLogin(target: string | null): string {
  const expr = target === null ? "location.pathname + location.search" : jsString(target);
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>cybozu.com</title>
<script>location.replace("/login?redirect=" + encodeURIComponent(${expr}));</script>
</head><body></body></html>
`;
}

/** The page shown instead of the form when SAML is on and `saml=off` was not given. */
export function samlPage(lang: ConsoleLang): string {
  const l = labels(lang);
  return layout(lang, l.title, `<main><h1>SAML</h1><p id="saml-message">${escapeHtml(l.saml)}</p></main>`);
}

/**
 * The page an address outside the IP address restriction gets (HTTP 403) for any path: the
 * help pages describe the refusal (jp.cybozu.help, "IP address restrictions"), the wording is ours.
 */
export function addressRefusedPage(lang: ConsoleLang, address: string): string {
  const l = labels(lang);
  return layout(lang, `${l.addressTitle} - ${l.title}`, `<main><h1>${escapeHtml(l.addressTitle)}</h1><p class="error-message" id="access-denied">${escapeHtml(l.addressRefused(address))}</p></main>`);
}

/** The error page of a bad request (`CB_IL02`) and other errors. */
export function errorPage(lang: ConsoleLang, code: string, message: string): string {
  const l = labels(lang);
  return layout(lang, `${l.errorTitle} - ${l.title}`, `<main><h1>${escapeHtml(l.errorTitle)}</h1><p class="error-message">${escapeHtml(message)}</p><p class="error-code">(${escapeHtml(code)})</p></main>`);
}

function headerBar(lang: ConsoleLang, user: string, name: Namer): string {
  const l = labels(lang);
  return `<header><a href="/" id="header-portal-link">${escapeHtml(l.portal)}</a><a href="/admin/" id="${name("header-admin-link")}">${escapeHtml(l.admin)}</a><span class="header-user">${escapeHtml(user)}</span><a href="/logout" id="header-logout-link">${escapeHtml(l.logout)}</a></header>`;
}

/** The landing page after login. */
export function portalPage(lang: ConsoleLang, user: string, name: Namer): string {
  const l = labels(lang);
  return layout(lang, `${l.portal} - ${l.title}`, `${headerBar(lang, user, name)}<main><h1>${escapeHtml(l.portal)}</h1><ul class="service-list"><li><a href="/k/">kintone</a></li></ul></main>`);
}

/** The administration landing page with its menu. */
export function adminPage(lang: ConsoleLang, user: string, name: Namer): string {
  const l = labels(lang);
  return layout(
    lang,
    `${l.admin} - ${l.title}`,
    `${headerBar(lang, user, name)}<main><h1>${escapeHtml(l.admin)}</h1><nav><ul class="admin-menu">
<li><a href="/admin/users/" id="admin-menu-users">${escapeHtml(l.users)}</a></li>
<li><a href="/admin/security/" id="admin-menu-security">${escapeHtml(l.security)}</a></li>
<li><a href="/admin/auditlog/" id="${name("admin-menu-auditlog")}">${escapeHtml(l.auditlog)}</a></li>
</ul></nav></main>`,
  );
}

export interface AuditPageModel {
  lang: ConsoleLang;
  user: string;
  token: string;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  /** Set when the filter is valid: how many entries match, and the newest of them. */
  result: { count: number; startKey: number; endKey: number; newest: Record<string, string>[] } | null;
  message: string | null;
}

const TABLE_COLUMNS = ["Date", "Level", "Service", "User", "IP Address", "Module", "Action", "Result", "Complement"];

/** The audit log page: the date-range filter, the newest entries and the CSV download. */
export function auditPage(model: AuditPageModel, name: Namer): string {
  const l = labels(model.lang);
  const v = (s: string) => escapeHtml(s);
  const filter = `<form id="${name("auditlog-filter")}" method="get" action="/admin/auditlog/">
<label for="${name("auditlog-start-date")}">${v(l.start)}</label>
<input type="date" id="${name("auditlog-start-date")}" name="${name("startDate")}" value="${v(model.startDate)}">
<input type="time" step="1" id="${name("auditlog-start-time")}" name="${name("startTime")}" value="${v(model.startTime)}">
<label for="${name("auditlog-end-date")}">${v(l.end)}</label>
<input type="date" id="${name("auditlog-end-date")}" name="${name("endDate")}" value="${v(model.endDate)}">
<input type="time" step="1" id="${name("auditlog-end-time")}" name="${name("endTime")}" value="${v(model.endTime)}">
<button type="submit" id="${name("auditlog-search")}">${v(l.search)}</button>
</form>`;
  let results = "";
  if (model.message) results += `<p id="auditlog-message" class="message">${v(model.message)}</p>`;
  if (model.result) {
    const r = model.result;
    results += `<p id="auditlog-range" data-start="${r.startKey}" data-end="${r.endKey}" data-count="${r.count}"><span id="auditlog-count">${v(l.count(r.count))}</span> ${r.count > 0 ? v(l.newest(r.newest.length)) : v(l.none)}</p>`;
    results += `<form id="auditlog-download-form" method="post" action="/admin/auditlog/download">
<input type="hidden" name="startDate" value="${v(model.startDate)}"><input type="hidden" name="startTime" value="${v(model.startTime)}">
<input type="hidden" name="endDate" value="${v(model.endDate)}"><input type="hidden" name="endTime" value="${v(model.endTime)}">
<input type="hidden" name="__REQUEST_TOKEN__" value="${v(model.token)}">
<button type="submit" id="${name("auditlog-download")}">${v(l.download)}</button>
</form>`;
    const head = l.columns.map((c) => `<th>${v(c)}</th>`).join("");
    const rows = r.newest.map((cells) => `<tr>${TABLE_COLUMNS.map((c) => `<td>${v(cells[c] ?? "")}</td>`).join("")}</tr>`).join("\n");
    results += `<table id="auditlog-table"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
  }
  return layout(model.lang, `${l.auditlog} - ${l.title}`, `${headerBar(model.lang, model.user, name)}<main><h1>${v(l.auditlog)}</h1>${filter}${results}</main>`);
}

/** A plain page for the parts of the console the emulator does not model. */
export function placeholderPage(lang: ConsoleLang, user: string, title: string, name: Namer): string {
  return layout(lang, title, `${headerBar(lang, user, name)}<main><h1>${escapeHtml(title)}</h1></main>`);
}
