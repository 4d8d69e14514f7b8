/**
 * Fixed vocabulary of the generated organisation: names, departments, kintone apps, browsers.
 * Only plain data here; organisation.ts draws from it with the seeded generator.
 */

export const SURNAMES: readonly (readonly [string, string])[] = [
  ["yamada", "山田"], ["suzuki", "鈴木"], ["tanaka", "田中"], ["sato", "佐藤"], ["takahashi", "高橋"],
  ["watanabe", "渡辺"], ["ito", "伊藤"], ["nakamura", "中村"], ["kobayashi", "小林"], ["kato", "加藤"],
  ["yoshida", "吉田"], ["yamamoto", "山本"], ["sasaki", "佐々木"], ["yamaguchi", "山口"], ["matsumoto", "松本"],
  ["inoue", "井上"], ["kimura", "木村"], ["hayashi", "林"], ["shimizu", "清水"], ["yamazaki", "山崎"],
  ["mori", "森"], ["abe", "阿部"], ["ikeda", "池田"], ["hashimoto", "橋本"], ["ishikawa", "石川"],
  ["ogawa", "小川"], ["maeda", "前田"], ["okada", "岡田"], ["hasegawa", "長谷川"], ["fujita", "藤田"],
  ["goto", "後藤"], ["kondo", "近藤"], ["murakami", "村上"], ["endo", "遠藤"], ["aoki", "青木"],
  ["sakamoto", "坂本"], ["saito", "斎藤"], ["fukuda", "福田"], ["ota", "太田"], ["nishimura", "西村"],
];

export const GIVEN_NAMES: readonly (readonly [string, string])[] = [
  ["taro", "太郎"], ["hanako", "花子"], ["kenji", "健二"], ["yuki", "由紀"], ["haruto", "陽翔"],
  ["sakura", "さくら"], ["daisuke", "大輔"], ["misaki", "美咲"], ["takumi", "拓海"], ["aoi", "葵"],
  ["shota", "翔太"], ["yui", "結衣"], ["ryo", "亮"], ["mai", "舞"], ["kazuki", "和樹"],
  ["nanami", "七海"], ["hiroshi", "博"], ["emi", "恵美"], ["satoshi", "聡"], ["ayaka", "彩花"],
  ["makoto", "誠"], ["kaori", "香織"], ["naoki", "直樹"], ["rina", "里奈"], ["tsubasa", "翼"],
  ["chika", "千佳"], ["koji", "浩二"], ["megumi", "恵"], ["yusuke", "祐介"], ["asuka", "明日香"],
];

/** Departments with their relative size and the app ids they use. */
export const DEPARTMENTS: readonly { name: string; weight: number; apps: readonly number[] }[] = [
  { name: "営業部", weight: 20, apps: [12, 15, 52, 105] },
  { name: "開発部", weight: 18, apps: [71, 74] },
  { name: "カスタマーサポート", weight: 12, apps: [12, 31, 80] },
  { name: "経理部", weight: 7, apps: [38, 58] },
  { name: "人事部", weight: 6, apps: [41, 63] },
  { name: "総務部", weight: 8, apps: [47, 86, 52] },
  { name: "情報システム部", weight: 5, apps: [47, 74] },
  { name: "経営企画室", weight: 4, apps: [15, 92, 105] },
];

/** The kintone apps of the tenant (id, name). */
export const APPS: readonly { id: number; name: string }[] = [
  { id: 12, name: "顧客管理" },
  { id: 15, name: "案件管理" },
  { id: 23, name: "日報" },
  { id: 31, name: "問い合わせ管理" },
  { id: 38, name: "経費精算" },
  { id: 41, name: "勤怠管理" },
  { id: 47, name: "備品管理" },
  { id: 52, name: "契約管理" },
  { id: 58, name: "請求書管理" },
  { id: 63, name: "採用管理" },
  { id: 71, name: "Project Tracker" },
  { id: 74, name: "Bug Tracker" },
  { id: 80, name: "FAQ" },
  { id: 86, name: "社内イベント" },
  { id: 92, name: "稟議" },
  { id: 105, name: "Sales Pipeline" },
  { id: 118, name: "取引先マスタ" },
];

/** Apps everyone uses besides their department's. */
export const COMMON_APPS: readonly number[] = [23, 38, 41, 92];

/** A browser as the console logs it (raw) and as Auth0 logs it (parsed), with whether it is mobile. */
export interface BrowserProfile {
  raw: string;
  parsed: string;
  isMobile: boolean;
}

/** Builds a realistic browser for a version draw `v` in [0, 1). */
export const BROWSERS: readonly { weight: number; make: (v: number) => BrowserProfile }[] = [
  {
    weight: 40,
    make: (v) => {
      const major = 140 + Math.floor(v * 3);
      return { raw: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`, parsed: `Chrome ${major}.0.0 / Windows 10.0.0`, isMobile: false };
    },
  },
  {
    weight: 22,
    make: (v) => {
      const major = 140 + Math.floor(v * 3);
      return { raw: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36 Edg/${major}.0.0.0`, parsed: `Edge ${major}.0.0 / Windows 10.0.0`, isMobile: false };
    },
  },
  {
    weight: 14,
    make: (v) => {
      const major = 140 + Math.floor(v * 3);
      return { raw: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`, parsed: `Chrome ${major}.0.0 / Mac OS X 10.15.7`, isMobile: false };
    },
  },
  {
    weight: 9,
    make: (v) => {
      const minor = Math.floor(v * 2);
      return { raw: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.${minor} Safari/605.1.15`, parsed: `Safari 26.${minor}.0 / Mac OS X 10.15.7`, isMobile: false };
    },
  },
  {
    weight: 6,
    make: (v) => {
      const major = 143 + Math.floor(v * 3);
      return { raw: `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${major}.0) Gecko/20100101 Firefox/${major}.0`, parsed: `Firefox ${major}.0.0 / Windows 10.0.0`, isMobile: false };
    },
  },
];

export const MOBILE_BROWSERS: readonly { weight: number; make: (v: number) => BrowserProfile }[] = [
  {
    weight: 6,
    make: (v) => {
      const minor = Math.floor(v * 2);
      return { raw: `Mozilla/5.0 (iPhone; CPU iPhone OS 26_${minor} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.${minor} Mobile/15E148 Safari/604.1`, parsed: `Mobile Safari 26.${minor}.0 / iOS 26.${minor}.0`, isMobile: true };
    },
  },
  {
    weight: 4,
    make: (v) => {
      const major = 140 + Math.floor(v * 3);
      return { raw: `Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36`, parsed: `Chrome Mobile ${major}.0.0 / Android 15.0.0`, isMobile: true };
    },
  },
];

/** Prefixes of Japanese consumer ISPs, for home addresses (first two octets). */
export const HOME_PREFIXES: readonly string[] = ["126.33", "126.212", "60.71", "110.233", "153.156", "180.9", "219.104", "114.160", "124.41", "118.238", "221.112", "106.72"];

/** File names attached to records, by app (for `Record file download`). */
export const FILE_NAMES: readonly string[] = ["見積書.pdf", "契約書_署名済.pdf", "議事録.docx", "請求書.pdf", "screenshot.png", "仕様書_v2.xlsx", "領収書.jpg", "report.csv", "提案資料.pptx", "名刺.jpg"];
