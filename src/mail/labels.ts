/**
 * Every word the report shows, in English and Japanese (REPORT_LANG). Templates receive the
 * plain strings; sentences with numbers are functions so that each language orders them its
 * own way. Adding a label means adding it to both languages (the type enforces it).
 */

import type { AlarmKind, FindingKind, Severity } from "../core/report-model.ts";

export type ReportLang = "en" | "ja";

export interface Labels {
  lang: ReportLang;
  title: string;
  reportFor: (day: string) => string;
  timesIn: (zone: string, offset: string) => string;
  generatedAt: (when: string) => string;
  summary: string;
  eventsThatDay: string;
  eventsPerSource: string;
  baselineMonth: string;
  threshold: string;
  /** How the thresholds were chosen, shown after them. */
  thresholdFrom: { setting: string; baseline: (featureSet: string) => string };
  featureSet: string;
  noBaseline: string;
  exports: string;
  critical: string;
  lateNight: (window: string) => string;
  lateNightFailed: string;
  sourceHealth: string;
  histogram: string;
  histogramLegendDay: string;
  histogramLegendBaseline: string;
  histogramLateNight: string;
  histogramEmpty: string;
  histogramLeftOut: string;
  none: string;
  /** The line after a list cut at its most important entries: how many more, and the command that lists them all. */
  moreAlarms: (n: number, command: string) => string;
  moreTenants: (n: number, command: string) => string;
  moreNotices: (n: number, command: string) => string;
  time: string;
  account: string;
  action: string;
  ip: string;
  app: string;
  level: string;
  result: string;
  source: string;
  noAccount: string;
  collected: string;
  stored: string;
  duplicates: string;
  rejected: string;
  cursorAge: string;
  noCursor: string;
  hours: (h: string) => string;
  unparsableIps: string;
  unknownActions: string;
  failures: string;
  warnings: string;
  baseline: string;
  baselineLine: (month: string, n: string, featureSet: string) => string;
  zeroVariance: (features: string) => string;
  noBaselineNotice: (source: string, month: string, n: string, command: string) => string;
  notices: string;
  noSources: string;
  /** The alarms block, shown first: a heading, a name per kind, a sentence per kind, the fix. */
  alarms: string;
  alarmKind: Record<AlarmKind, string>;
  alarmText: {
    sourceFailed: (source: string, day: string, detail: string) => string;
    sourceSilent: (source: string, day: string, observed: string, expected: string, weekend: boolean, month: string) => string;
    baselineMissing: (source: string, month: string, n: string, minimum: string, day: string) => string;
    retentionGap: (source: string, detail: string) => string;
  };
  fixWith: (command: string) => string;
  sectionCount: { exports: (n: number) => string; critical: (n: number) => string; lateNight: (n: number) => string; outliers: (n: number) => string; failedSources: (n: number) => string; alarms: (n: number, failed: number) => string };
  subjectJoin: string;
  features: Record<FeatureWord, string>;
  average: (value: string) => string;
  /** Findings (issue 23): headings per severity, a finding's parts, the low tail, the footer and the subject. */
  findings: string;
  findingCounts: (high: number, medium: number, low: number) => string;
  noFindings: string;
  /** A severity's name: in a finding's badge, in the subject. */
  severity: Record<Severity, string>;
  severityHeading: Record<Severity, (n: number) => string>;
  /** Heading of the routine changes the catalogue rates high (low findings shown right after the high ones). */
  routineChanges: (n: number) => string;
  kind: Record<FindingKind, string>;
  findingId: string;
  eventCount: (n: number) => string;
  actions: string;
  apps: string;
  addresses: string;
  newAddress: string;
  knownAddress: string;
  /** A distance in words: `percent` below 100 ("99.97"), or null when it is above all of last month. */
  rarity: (percent: string | null) => string;
  moreEvents: (n: number, command: string) => string;
  andMore: (n: number) => string;
  moreFindings: (n: number, severity: Severity, command: string) => string;
  expected: (n: number) => string;
  allowListed: (n: number) => string;
  acknowledged: (n: number) => string;
  ruleMatched: (rule: string, findings: number) => string;
  recentAck: (id: string, reason: string, at: string) => string;
  /** Before the `kansa ack` command in the findings' footer. */
  ackHint: string;
  appendix: string;
  appendixIntro: string;
  appendixMore: (n: number, command: string) => string;
  subjectNoFindings: string;
  subjectSeparator: string;
}

/** Words for the feature names the detection stage uses (see ./feature-words.ts). */
export type FeatureWord =
  | "timeOfDay" | "hourCyclic" | "hourDeviation" | "account" | "action" | "ip" | "app"
  | "actionRarity" | "actionRarityAccount" | "newIp" | "newSubnet" | "newApp" | "appRarity" | "newAction";

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const count = (n: number) => n.toLocaleString("ja-JP");

const en: Labels = {
  lang: "en",
  title: "kansa daily audit-log report",
  reportFor: (day) => `Report for ${day}`,
  timesIn: (zone, offset) => `All times are in ${zone} (UTC${offset}).`,
  generatedAt: (when) => `Generated at ${when}.`,
  summary: "Summary",
  eventsThatDay: "Events that day",
  eventsPerSource: "Events per source",
  baselineMonth: "Baseline month",
  threshold: "Outlier threshold",
  thresholdFrom: {
    setting: "set by ANOMALY_LENGTH",
    baseline: (featureSet) => featureSet === "profile" ? "each baseline month's own, for TARGET_FPR; ANOMALY_LENGTH unset" : `the ${featureSet} default; ANOMALY_LENGTH unset`,
  },
  featureSet: "Feature set",
  noBaseline: "none",
  exports: "Data exports",
  critical: "Critical events",
  lateNight: (window) => `Late-night logins (${window})`,
  lateNightFailed: "Failed late-night login attempts",
  sourceHealth: "Source health",
  histogram: "Events by hour of day",
  histogramLegendDay: "that day",
  histogramLegendBaseline: "baseline month, average per day",
  histogramLateNight: "late-night window",
  histogramEmpty: "No events that day.",
  histogramLeftOut: "The chart is left out to keep this mail under Gmail's clipping size; the plain-text part has it.",
  none: "None.",
  moreAlarms: (n, command) => `… and ${plural(n, "more alarm", "more alarms")}, not listed here: ${command} lists them all.`,
  moreTenants: (n, command) => `… and ${plural(n, "more tenant", "more tenants")}, not listed here: kansa status or ${command} lists them all.`,
  moreNotices: (n, command) => `… and ${plural(n, "more notice", "more notices")}, not listed here: ${command} lists them all.`,
  time: "Time",
  account: "Account",
  action: "Action",
  ip: "IP address",
  app: "App",
  level: "Level",
  result: "Result",
  source: "Source",
  noAccount: "(no account)",
  collected: "collected",
  stored: "stored",
  duplicates: "duplicates",
  rejected: "rejected",
  cursorAge: "cursor age",
  noCursor: "no cursor",
  hours: (h) => `${h} h`,
  unparsableIps: "unparsable IP addresses",
  unknownActions: "actions not in the source's table (shown as their code)",
  failures: "Failures",
  warnings: "Warnings",
  baseline: "Baseline",
  baselineLine: (month, n, featureSet) => `${month}: ${n} events, feature set ${featureSet}`,
  zeroVariance: (features) => `Features with zero variance in the baseline, left out of the distance: ${features}.`,
  noBaselineNotice: (source, month, n, command) =>
    `No baseline for ${source}: ${month} holds ${n} events, too few to compare with, so no outliers were computed. Load last month with: ${command}`,
  notices: "Notices",
  noSources: "No source is configured.",
  alarms: "Alarms",
  alarmKind: { "source-failed": "Source failed", "source-silent": "Source silent", "baseline-missing": "No baseline", "retention-gap": "Entries may be lost" },
  alarmText: {
    sourceFailed: (source, day, detail) => `Collecting ${source} failed, so ${day} may be incomplete: ${detail}`,
    sourceSilent: (source, day, observed, expected, weekend, month) =>
      `${source} stored ${observed === "0" ? "no event" : `only ${observed} events`} for ${day}; a usual ${weekend ? "weekend day" : "weekday"} of ${month} has ${expected}.`,
    baselineMissing: (source, month, n, minimum, day) =>
      `No baseline for ${source}: ${month} holds ${n} events, fewer than the ${minimum} a baseline needs, so no event of ${day} was scored.`,
    retentionGap: (source, detail) => `${source}: ${detail}`,
  },
  fixWith: (command) => `Fix: ${command}`,
  sectionCount: {
    exports: (n) => plural(n, "export", "exports"),
    critical: (n) => `${n.toLocaleString("en-US")} critical`,
    lateNight: (n) => plural(n, "late-night login", "late-night logins"),
    outliers: (n) => plural(n, "outlier", "outliers"),
    failedSources: (n) => plural(n, "source failed", "sources failed"),
    alarms: (n, failed) => `${plural(n, "alarm", "alarms")}${failed > 0 ? ` (${plural(failed, "source failed", "sources failed")})` : ""}`,
  },
  subjectJoin: ", ",
  features: {
    timeOfDay: "time of day",
    hourCyclic: "hour of day",
    hourDeviation: "distance from the account's usual hours",
    account: "account",
    action: "action",
    ip: "IP address",
    app: "app",
    actionRarity: "rarity of the action",
    actionRarityAccount: "rarity of the action for this account",
    newIp: "new IP address for this account",
    newSubnet: "new network (/24) for this account",
    newApp: "new app for this account",
    appRarity: "rarity of the app for this account",
    newAction: "new action for this account",
  },
  average: (value) => `avg ${value}`,
  findings: "Findings",
  findingCounts: (high, medium, low) => `${high.toLocaleString("en-US")} high, ${medium.toLocaleString("en-US")} medium, ${low.toLocaleString("en-US")} low`,
  noFindings: "No findings: nothing notable that day.",
  severity: { high: "high", medium: "medium", low: "low" },
  severityHeading: {
    high: (n) => `High severity (${n.toLocaleString("en-US")})`,
    medium: (n) => `Medium severity (${n.toLocaleString("en-US")})`,
    low: (n) => `Low severity (${n.toLocaleString("en-US")})`,
  },
  routineChanges: (n) => `Routine high-impact changes (${n.toLocaleString("en-US")}; low: the same work as on most days last month)`,
  kind: {
    critical: "critical change",
    export: "data export",
    "late-night": "late-night login",
    "failed-then-succeeded": "login after failed attempts",
    outlier: "unusual activity",
    routine: "routine work",
  },
  findingId: "id",
  eventCount: (n) => plural(n, "event", "events"),
  actions: "Actions",
  apps: "Apps",
  addresses: "Addresses",
  newAddress: "new",
  knownAddress: "known",
  rarity: (percent) => (percent === null ? "rarer than anything last month" : `rarer than ${percent}% of last month`),
  moreEvents: (n, command) => `… ${plural(n, "more event", "more events")}: ${command}`,
  andMore: (n) => `and ${plural(n, "more", "more")}`,
  moreFindings: (n, severity, command) => `… ${plural(n, `more ${severity} finding`, `more ${severity} findings`)}: ${command}`,
  expected: (n) => `Expected: ${plural(n, "finding", "findings")} counted, not listed`,
  allowListed: (n) => `${n.toLocaleString("en-US")} by the allow-list`,
  acknowledged: (n) => `${n.toLocaleString("en-US")} acknowledged`,
  ruleMatched: (rule, findings) => `rule ${rule}: ${plural(findings, "finding", "findings")}`,
  recentAck: (id, reason, at) => `acknowledged ${id} on ${at}: ${reason}`,
  ackHint: "To mark a finding expected from now on:",
  appendix: "Appendix: the day's lists",
  appendixIntro: "One line per event; the findings above hold what matters.",
  appendixMore: (n, command) => `… ${plural(n, "more", "more")}: ${command}`,
  subjectNoFindings: "no findings",
  subjectSeparator: "; ",
};

const ja: Labels = {
  lang: "ja",
  title: "kansa 監査ログ日次レポート",
  reportFor: (day) => `${day} のレポート`,
  timesIn: (zone, offset) => `時刻はすべて ${zone} (UTC${offset}) です。`,
  generatedAt: (when) => `作成日時 ${when}`,
  summary: "概要",
  eventsThatDay: "当日のイベント数",
  eventsPerSource: "ソース別のイベント数",
  baselineMonth: "基準月",
  threshold: "異質と判定するしきい値",
  thresholdFrom: {
    setting: "ANOMALY_LENGTH で指定",
    baseline: (featureSet) => featureSet === "profile" ? "基準月ごとに TARGET_FPR から算出、ANOMALY_LENGTH は未設定" : `${featureSet} の既定値、ANOMALY_LENGTH は未設定`,
  },
  featureSet: "特徴量セット",
  noBaseline: "なし",
  exports: "データの書き出し",
  critical: "重要イベント",
  lateNight: (window) => `深夜のログイン (${window})`,
  lateNightFailed: "深夜のログイン失敗",
  sourceHealth: "ソースの状態",
  histogram: "時間帯別のイベント数",
  histogramLegendDay: "当日",
  histogramLegendBaseline: "基準月の1日あたり平均",
  histogramLateNight: "深夜の時間帯",
  histogramEmpty: "当日のイベントはありません。",
  histogramLeftOut: "Gmail でメールの末尾が省略されないよう、グラフは省きました。テキスト版のメールにはあります。",
  none: "なし",
  moreAlarms: (n, command) => `… ほか ${count(n)} 件のアラームは省略しました。すべて見るには: ${command}`,
  moreTenants: (n, command) => `… ほか ${count(n)} 件のテナントは省略しました。すべて見るには: kansa status または ${command}`,
  moreNotices: (n, command) => `… ほか ${count(n)} 件のお知らせは省略しました。すべて見るには: ${command}`,
  time: "時刻",
  account: "アカウント",
  action: "アクション",
  ip: "IPアドレス",
  app: "アプリ",
  level: "レベル",
  result: "結果",
  source: "ソース",
  noAccount: "(アカウントなし)",
  collected: "取得",
  stored: "保存",
  duplicates: "重複",
  rejected: "不正",
  cursorAge: "カーソルの経過時間",
  noCursor: "カーソルなし",
  hours: (h) => `${h} 時間`,
  unparsableIps: "解釈できないIPアドレス",
  unknownActions: "ソースの表にないアクション（コードのまま表示）",
  failures: "失敗",
  warnings: "警告",
  baseline: "基準",
  baselineLine: (month, n, featureSet) => `${month}: ${n} 件、特徴量セット ${featureSet}`,
  zeroVariance: (features) => `基準月に分散がゼロのため距離から除いた特徴量: ${features}`,
  noBaselineNotice: (source, month, n, command) =>
    `${source} の基準がありません。${month} のログは ${n} 件で比較に足りないため、異質なログは計算していません。前月分を取り込むには: ${command}`,
  notices: "お知らせ",
  noSources: "ソースが設定されていません。",
  alarms: "アラーム",
  alarmKind: { "source-failed": "収集の失敗", "source-silent": "ログが途絶えています", "baseline-missing": "基準なし", "retention-gap": "ログ欠落の恐れ" },
  alarmText: {
    sourceFailed: (source, day, detail) => `${source} の収集に失敗しました。${day} のログは不完全かもしれません: ${detail}`,
    sourceSilent: (source, day, observed, expected, weekend, month) =>
      `${source} の ${day} のログは ${observed} 件です。${month} の${weekend ? "週末" : "平日"}は通常 ${expected} 件あります。`,
    baselineMissing: (source, month, n, minimum, day) =>
      `${source} の基準がありません。${month} のログは ${n} 件で、基準に必要な ${minimum} 件に足りないため、${day} のログは評価していません。`,
    retentionGap: (source, detail) => `${source}: ${detail}`,
  },
  fixWith: (command) => `対処: ${command}`,
  sectionCount: {
    exports: (n) => `書き出し ${count(n)} 件`,
    critical: (n) => `重要 ${count(n)} 件`,
    lateNight: (n) => `深夜ログイン ${count(n)} 件`,
    outliers: (n) => `異質なログ ${count(n)} 件`,
    failedSources: (n) => `失敗したソース ${count(n)} 件`,
    alarms: (n, failed) => `アラーム ${count(n)} 件${failed > 0 ? `（失敗したソース ${count(failed)} 件）` : ""}`,
  },
  subjectJoin: "、",
  features: {
    timeOfDay: "時刻",
    hourCyclic: "時間帯",
    hourDeviation: "普段の時間帯からのずれ",
    account: "アカウント",
    action: "アクション",
    ip: "IPアドレス",
    app: "アプリ",
    actionRarity: "アクションの珍しさ",
    actionRarityAccount: "このアカウントにとってのアクションの珍しさ",
    newIp: "このアカウントにとって新しいIPアドレス",
    newSubnet: "このアカウントにとって新しいネットワーク (/24)",
    newApp: "このアカウントにとって新しいアプリ",
    appRarity: "このアカウントにとってのアプリの珍しさ",
    newAction: "このアカウントにとって新しいアクション",
  },
  average: (value) => `平均 ${value}`,
  findings: "検出事項",
  findingCounts: (high, medium, low) => `高 ${count(high)} 件、中 ${count(medium)} 件、低 ${count(low)} 件`,
  noFindings: "検出事項はありません。当日に注意すべき操作はありませんでした。",
  severity: { high: "高", medium: "中", low: "低" },
  severityHeading: {
    high: (n) => `重大度「高」 (${count(n)})`,
    medium: (n) => `重大度「中」 (${count(n)})`,
    low: (n) => `重大度「低」 (${count(n)})`,
  },
  routineChanges: (n) => `定常業務での重要な変更 (${count(n)}・重大度「低」: 先月も繰り返し行われた作業)`,
  kind: {
    critical: "重要な設定変更",
    export: "データの書き出し",
    "late-night": "深夜のログイン",
    "failed-then-succeeded": "失敗後のログイン成功",
    outlier: "普段と異なる操作",
    routine: "定常業務",
  },
  findingId: "ID",
  eventCount: (n) => `${count(n)} 件`,
  actions: "操作",
  apps: "アプリ",
  addresses: "アドレス",
  newAddress: "初めて",
  knownAddress: "既知",
  rarity: (percent) => (percent === null ? "先月のどの操作よりも珍しい" : `先月の ${percent}% より珍しい`),
  moreEvents: (n, command) => `… ほか ${count(n)} 件のイベント: ${command}`,
  andMore: (n) => `ほか ${count(n)} 件`,
  moreFindings: (n, severity, command) => `… 重大度「${severity === "high" ? "高" : severity === "medium" ? "中" : "低"}」のほか ${count(n)} 件: ${command}`,
  expected: (n) => `想定内: ${count(n)} 件（件数のみ、一覧には載せていません）`,
  allowListed: (n) => `許可リストによるもの ${count(n)} 件`,
  acknowledged: (n) => `確認済み (ack) ${count(n)} 件`,
  ruleMatched: (rule, findings) => `ルール ${rule}: ${count(findings)} 件`,
  recentAck: (id, reason, at) => `${at} に ${id} を確認済みに: ${reason}`,
  ackHint: "今後この検出事項を想定内として扱うには:",
  appendix: "付録: 当日の一覧",
  appendixIntro: "1行に1件。重要なものは上の検出事項にまとめています。",
  appendixMore: (n, command) => `… ほか ${count(n)} 件: ${command}`,
  subjectNoFindings: "検出事項なし",
  subjectSeparator: "／",
};

/** The labels of one language. */
export function labelsFor(lang: ReportLang): Labels {
  return lang === "ja" ? ja : en;
}
