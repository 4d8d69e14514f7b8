/**
 * A rendered report as an RFC 5322 message (`.eml`), exactly as it would be sent, for
 * `kansa report --eml` (open it in a mail client to see the report without sending it).
 */
import nodemailer from "nodemailer";
import type { RenderedReport } from "./render-report.ts";
import { reportMessage } from "./deliver.ts";

/** The message bytes of `rendered` from `from` to `to` (which may be empty). */
export async function composeEml(rendered: RenderedReport, from: string, to: string[], day: string): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "\r\n" });
  const info = await transport.sendMail({ ...reportMessage(rendered, from, to, day), ...(to.length === 0 ? { to: undefined } : {}) });
  return info.message as Buffer;
}
