/**
 * The console's free-text complement: kintone writes `app id: 12, app name: 顧客管理, record id: 5`.
 * Japanese forms (`アプリID: 12, アプリ名: 顧客管理`) and full-width colons are read too.
 */

export interface ComplementApp {
  appId: string | null;
  appName: string | null;
}

const APP_ID = /(?:^|[,、\s(（])(?:app\s*id|appid|アプリ\s*ID|アプリ\s*id)\s*[:：=]\s*(\d+)/iu;
const APP_NAME = /(?:^|[,、\s(（])(?:app\s*name|appname|アプリ名)\s*[:：=]\s*/iu;
// The name ends at the next ", key:" (a short label followed by a colon) or at the end.
const NEXT_KEY = /\s*[,、]\s*[\p{L}][\p{L}\p{M} _-]{0,30}\s*[:：=]/u;

/** The app id (digits) and app name the complement names, each null when absent. */
export function parseComplement(text: string): ComplementApp {
  if (!text) return { appId: null, appName: null };
  const id = APP_ID.exec(text);
  let appName: string | null = null;
  const name = APP_NAME.exec(text);
  if (name) {
    const rest = text.slice(name.index + name[0].length);
    const end = NEXT_KEY.exec(rest);
    const value = (end ? rest.slice(0, end.index) : rest).trim();
    appName = value === "" ? null : value;
  }
  return { appId: id ? id[1]! : null, appName };
}
