/**
 * Issue 21, display: the one escaping of untrusted strings (terminal, logs, mail) makes every
 * invisible or display-changing character visible as `\u{XXXX}`, and the logger writes no
 * escape sequence, CR or bidirectional control from a logged string, readable or JSON.
 */
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { displayText, terminalSafeJson } from "../../src/core/display-text.ts";
import { createLogger } from "../../src/core/logger.ts";
import { displayText as mailDisplayText } from "../../src/mail/format.ts";

const hex = (c: string) => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");

describe("displayText", () => {
  it("escapes each listed invisible character, and the mail uses the same function", () => {
    const listed = [
      0x061c, 0x00ad, 0x3164, 0x115f, 0x1160, 0xffa0, // Arabic letter mark, soft hyphen, Hangul fillers
      0xe0000, 0xe0001, 0xe0020, 0xe0041, 0xe007f, // tag characters, assigned or not
      0x2028, 0x2029, // Zl, Zp
      0x0000, 0x0007, 0x000a, 0x000d, 0x001b, 0x007f, 0x0085, 0x009b, // Cc: NUL, BEL, LF, CR, ESC, DEL, NEL, CSI
      0x200b, 0x200d, 0x200e, 0x202e, 0x2066, 0x2069, 0x2065, 0xfeff, 0xfff9, 0x180e, 0x1d173, // Cf and U+2060–206F
      0x034f, 0x17b4, 0x17b5,
    ];
    assert.equal(mailDisplayText, displayText);
    for (const cp of listed) {
      const c = String.fromCodePoint(cp);
      assert.equal(displayText(`a${c}b`), `a\\u{${hex(c)}}b`, `U+${hex(c)}`);
    }
  });

  it("escapes every character of Unicode's Cf category", () => {
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      if (/\p{Cf}|\p{Cc}/u.test(c)) assert.equal(displayText(c), `\\u{${hex(c)}}`, `U+${hex(c)}`);
    }
  });

  it("leaves visible text alone: Japanese, emoji with variation selectors, ideographic variants, spaces, braille blank", () => {
    for (const text of ["顧客管理 アプリ", "❤️ ok", "葛\u{E0100}飾", "a b\u3000c", "\u2800", "user@example.com", "ﾊﾝｶｸ"]) {
      assert.equal(displayText(text), text);
    }
  });

  it("shows a terminal title sequence as text, and cuts to max characters", () => {
    assert.equal(displayText("t\u001b]0;pwned\u0007\r\n"), "t\\u{001B}]0;pwned\\u{0007}\\u{000D}\\u{000A}");
    assert.equal(displayText("x".repeat(50), 10), `${"x".repeat(9)}…`);
    assert.equal(displayText(undefined), "");
  });
});

describe("terminalSafeJson", () => {
  it("leaves no raw C1, bidi or tag character in JSON text, and parses to the same value", () => {
    const value = { tenant: "a\u009b2J\u202e\u2028\u{E0041}\u001b]0;x\u0007", n: 1 };
    const json = terminalSafeJson(JSON.stringify(value, null, 2));
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\u2028]|\p{Cf}/u.test(json), json);
    assert.deepEqual(JSON.parse(json), value);
  });
});

function capture(): { stream: Writable; text: () => string } {
  let out = "";
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { out += chunk.toString(); done(); } });
  return { stream, text: () => out };
}

describe("the logger", () => {
  const hostile = "evil\u001b]0;pwned\u0007\r\u009b2J\u202egnp.exe";
  // ESC only as pino-pretty's own colours would use it; none here (colour is off when not a terminal).
  const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/;

  it("writes readable lines with the logged strings escaped (message, fields, nested, keys)", () => {
    const out = capture();
    const log = createLogger("info", { pretty: true, destination: out.stream });
    log.info({ tenant: hostile, nested: { list: [hostile] }, [hostile]: 1 }, `collected ${hostile}`);
    const text = out.text();
    assert.ok(!raw.test(text), JSON.stringify(text));
    assert.ok(text.includes("evil\\u{001B}]0;pwned\\u{0007}\\u{000D}\\u{009B}2J\\u{202E}gnp.exe"), text);
    assert.equal(text.trimEnd().split("\n")[0]!.includes("collected evil"), true);
  });

  it("writes JSON lines that parse to the logged strings, with no raw control character", () => {
    const out = capture();
    const log = createLogger("info", { pretty: false, destination: out.stream });
    log.info({ tenant: hostile }, hostile);
    const line = out.text();
    assert.ok(!raw.test(line.replace(/\n$/, "")), JSON.stringify(line));
    const parsed = JSON.parse(line) as { tenant: string; msg: string };
    assert.equal(parsed.tenant, hostile);
    assert.equal(parsed.msg, hostile);
  });
});
