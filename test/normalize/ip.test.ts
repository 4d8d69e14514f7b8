import { test } from "node:test";
import assert from "node:assert/strict";
import { parseIp } from "../../src/core/ip-address.ts";

test("IPv4 as given, with leading zeros read as decimal, with a port", () => {
  assert.equal(parseIp("203.0.113.10"), "203.0.113.10");
  assert.equal(parseIp(" 203.0.113.10 "), "203.0.113.10");
  assert.equal(parseIp("010.000.001.002"), "10.0.1.2");
  assert.equal(parseIp("203.0.113.10:443"), "203.0.113.10");
});

test("IPv6 is compressed and lower-cased; IPv4-mapped IPv6 becomes dotted IPv4", () => {
  assert.equal(parseIp("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  assert.equal(parseIp("[2001:db8::1]:8443"), "2001:db8::1");
  assert.equal(parseIp("fe80::1%eth0"), "fe80::1");
  assert.equal(parseIp("::ffff:198.51.100.7"), "198.51.100.7");
  assert.equal(parseIp("::FFFF:c633:6407"), "198.51.100.7");
  assert.equal(parseIp("::1"), "::1");
});

test("a proxy list counts its first address", () => {
  assert.equal(parseIp("198.51.100.1, 10.0.0.1"), "198.51.100.1");
});

test("masked, empty and garbage addresses are null", () => {
  for (const value of ["", "  ", "xx.xxx.xxx.xx", "256.1.1.1", "1.2.3", "localhost", "<script>", "::gggg", "1.2.3.4.5"]) {
    assert.equal(parseIp(value), null, value);
  }
});
