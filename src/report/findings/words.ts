/**
 * A finding in words, in English or Japanese: its one-sentence summary and its reasons, composed
 * from the finding's fields and its reasons' codes and values (never by translating English
 * text). The model's `summary` and `reasons` are the English ones; the mail words them in
 * REPORT_LANG with the same functions. Log strings (accounts, apps, addresses, actions) are put
 * in as they are: whoever renders the words escapes them.
 */
import type { Finding, FindingReason } from "../../core/report-model.ts";

export type Lang = "en" | "ja";

type Params = FindingReason["params"];
const str = (v: Params[string] | undefined) => (v === undefined ? "" : String(v));
const num = (v: Params[string] | undefined) => Number(v ?? 0);
/** "1 event", "3 events" (`many` for an irregular plural). */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "rarer than 99.97% of last month": enough decimals to stay below 100% unless above all of it. */
export function rarityPercent(percentile: number): string | null {
  if (!(percentile < 1)) return null;
  const percent = percentile * 100;
  // As many decimals as the gap to 100% needs: 95, 99.5, 99.97, 99.999 (rounded first: 100 − 99.9
  // is 0.0999… in binary, and 0.29 × 100 is 28.999…).
  const digits = Math.min(4, Math.max(0, Math.ceil(Math.round(-Math.log10(100 - percent) * 1e6) / 1e6)));
  const scale = 10 ** digits;
  return (Math.floor(percent * scale + 1e-6) / scale).toFixed(digits);
}

/** One reason in `lang`. */
export function reasonText(reason: FindingReason, lang: Lang): string {
  if (lang === "en") return reason.text;
  const p = reason.params;
  switch (reason.code) {
    case "catalogue":
      return num(p.count) > 1 ? `${str(p.labelJa)}（${num(p.count)}件）` : str(p.labelJa);
    case "export":
      return p.app ? `${str(p.app)} から ${num(p.count)} 件のエクスポート` : `${num(p.count)} 件のエクスポート`;
    case "late-night":
      return `深夜帯（${str(p.window)}）の${p.failed ? "ログイン失敗" : "ログイン"}: ${str(p.time)}`;
    case "failed-then-succeeded":
      return `同じアドレスから ${num(p.failures)} 回失敗した後のログイン成功（10分以内）`;
    case "unknown-account":
      return `${str(p.month)} に一度も現れなかったアカウント`;
    case "few-history":
      return `${str(p.month)} の履歴が少ないため（${num(p.days)} 日間で ${num(p.events)} 件）全員の傾向と比較`;
    case "new-address":
      return `このアカウントで初めてのアドレス ${str(p.ip)}${p.nobody ? `（${str(p.month)} には誰も使っていない）` : ""}`;
    case "new-network":
      return `このアカウントで初めてのネットワーク ${str(p.network)}`;
    case "new-app":
      return `このアカウントで初めてのアプリ ${str(p.appName) || str(p.app)}`;
    case "new-action-global":
      return `先月は誰も行っていない操作「${str(p.action)}」`;
    case "new-action-account":
      return `このアカウントで初めての操作「${str(p.action)}」（${str(p.month)} に他の人が ${num(p.others)} 回）`;
    case "unusual-hour":
      return p.after
        ? `${str(p.time)} は${p.everyone ? "全体" : "このアカウント"}の普段の最終活動（${str(p.usual)}）より ${num(p.hours)} 時間後`
        : `${str(p.time)} は${p.everyone ? "全体" : "このアカウント"}の普段の最初の活動（${str(p.usual)}）より ${num(p.hours)} 時間前`;
    case "burst":
      return `10分以内に ${num(p.count)} 件（普段は多くて ${num(p.usual)} 件）`;
    case "rarity":
      return p.percent ? `先月の ${str(p.percent)}% より珍しい` : "先月のどの操作よりも珍しい";
    case "routine":
      return `定常業務: 先月 ${num(p.days)} 日に同じ操作`;
    case "feature":
      return `主な要因: ${str(p.featureJa) || str(p.feature)}`;
    case "volume":
      return `${num(p.count)} 件（このアカウントの普段の1日は約 ${num(p.usual)} 件）`;
    default:
      return reason.text;
  }
}

/** The finding's reasons in `lang`, most telling first. */
export function findingReasons(finding: Finding, lang: Lang): string[] {
  return finding.reasonDetails.map((r) => reasonText(r, lang));
}

/** HH:MM of an ISO instant written with its offset (the report zone's). */
const clockOf = (iso: string) => iso.slice(11, 16);

/** The finding's one-sentence summary in `lang`. */
export function findingSummary(finding: Finding, lang: Lang): string {
  const who = finding.account || (lang === "ja" ? "（アカウントなし）" : "(no account)");
  const from = clockOf(finding.from);
  const to = clockOf(finding.to);
  const span = from === to ? (lang === "ja" ? `${from} に` : `at ${from}`) : lang === "ja" ? `${from}〜${to} に` : `between ${from} and ${to}`;
  const newAddresses = finding.addresses.filter((a) => a.new);
  const address = finding.addresses[0];
  const where = !address || address.key === ""
    ? ""
    : lang === "ja"
      ? `${address.key}${finding.addresses.length > 1 ? ` ほか ${finding.addresses.length - 1} 件` : ""} から${newAddresses.length > 0 ? "（このアカウントで初めてのアドレス）" : ""}`
      : ` from ${address.key}${finding.addresses.length > 1 ? ` and ${plural(finding.addresses.length - 1, "other address", "other addresses")}` : ""}${newAddresses.length > 0 ? `, ${newAddresses.length === 1 ? "an address" : "addresses"} never seen for this account` : ""}`;
  const catalogue = finding.reasonDetails.find((r) => r.code === "catalogue");
  const exported = finding.reasonDetails.find((r) => r.code === "export");
  const late = finding.reasonDetails.find((r) => r.code === "late-night");
  const main = finding.actions[0];
  const action = main ? (lang === "ja" ? main.labelJa : undefined) ?? main.label ?? main.key : "";
  const routine = finding.routine ? (lang === "ja" ? `（定常業務: 先月 ${finding.routine.days} 日）` : ` (routine: ${plural(finding.routine.days, "day")} last month)`) : "";
  const n = finding.eventCount;
  if (lang === "ja") {
    let what: string;
    if (finding.kind === "export" && exported) what = `${exported.params.app ? `${str(exported.params.app)} から ` : ""}${num(exported.params.count)} 件をエクスポート${n > num(exported.params.count) ? `（計 ${n} 件）` : ""}`;
    else if ((finding.kind === "critical" || finding.kind === "routine") && catalogue) what = `${str(catalogue.params.labelJa)}${n > 1 ? `（計 ${n} 件）` : ""}`;
    else if (finding.kind === "late-night" && late) what = late.params.failed ? "深夜帯にログインを試みて失敗" : "深夜帯にログイン";
    else if (finding.kind === "failed-then-succeeded") what = "ログイン失敗の後にログイン成功";
    else if (finding.kind === "routine") what = `「${action}」${n > 1 ? `（計 ${n} 件）` : ""}`;
    else what = `普段と異なる操作「${action}」${n > 1 ? `（計 ${n} 件）` : ""}`;
    return `${who} が ${span}${where ? ` ${where}` : ""} ${what}${routine}`;
  }
  let what: string;
  if (finding.kind === "export" && exported) what = `exported ${plural(num(exported.params.count), "file")}${exported.params.app ? ` from ${str(exported.params.app)}` : ""}${n > num(exported.params.count) ? ` (${plural(n, "event")} in all)` : ""}`;
  else if ((finding.kind === "critical" || finding.kind === "routine") && catalogue) what = `${str(catalogue.params.label)}${n > 1 ? ` (${plural(n, "event")} in all)` : ""}`;
  else if (finding.kind === "late-night" && late) what = late.params.failed ? "tried to log in in the late-night window and failed" : "logged in in the late-night window";
  else if (finding.kind === "failed-then-succeeded") what = "logged in after failed attempts";
  else if (finding.kind === "routine") what = `did ${action}${n > 1 ? ` (${plural(n, "event")})` : ""}`;
  else what = `did ${action}${n > 1 ? ` (${plural(n, "event")})` : ""}, unusual for this account`;
  const sep = finding.kind === "critical" || finding.kind === "routine" ? ": " : " ";
  return `${who}${sep}${what} ${span}${where}${routine}`;
}
