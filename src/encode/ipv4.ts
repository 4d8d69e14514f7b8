/** The report's import of isUnparsableIp (src/report/assemble-report.ts); the parser is ip-address.ts. */
export { isUnparsableIp } from "./ip-address.ts";
