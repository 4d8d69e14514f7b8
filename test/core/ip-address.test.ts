import { test } from "node:test";
import assert from "node:assert/strict";
import { carrierBlockOf, ipv4ToUint, networkOf, parseIp } from "../../src/core/ip-address.ts";

/**
 * Each input with what kansa gave before the parser moved to ipaddr.js (computed with the two
 * node:net parsers it replaced): the normaliser's canonical form, the classic vector's IPv4
 * integer, the profile's network and carrier block. ipaddr.js alone would read `010.1.1.1` as
 * octal, `10.1` and `0x0a.1.1.1` as IPv4, `::1.2.3.4` as mapped, and refuse the zone `%en-0`.
 */
const TABLE: [input: string, canonical: string | null, ipv4: number | null, network: string, carrierBlock: string][] = [
  ["203.0.113.10","203.0.113.10",3405803786,"203.0.113","203.0"],
  [" 203.0.113.10 ","203.0.113.10",3405803786,"203.0.113","203.0"],
  ["0.0.0.0","0.0.0.0",0,"0.0.0","0.0"],
  ["255.255.255.255","255.255.255.255",4294967295,"255.255.255","255.255"],
  ["256.1.1.1",null,null,"256.1.1","256.1"],
  ["010.1.1.1","10.1.1.1",null,"010.1.1","010.1"],
  ["010.000.001.002","10.0.1.2",null,"010.000.001","010.000"],
  ["0010.1.1.1",null,null,"0010.1.1","0010.1"],
  ["10.1",null,null,"10.1","10.1"],
  ["10.1.2",null,null,"10.1","10.1.2"],
  ["167772161",null,null,"167772161","167772161"],
  ["0x0a.1.1.1",null,null,"0x0a.1.1","0x0a.1"],
  ["1.2.3.4.5",null,null,"1.2.3.4","1.2.3.4.5"],
  ["203.0.113.10:443","203.0.113.10",null,"203.0.113","203.0"],
  ["010.1.1.1:80","10.1.1.1",null,"010.1.1","010.1"],
  ["1.2.3.4%eth0","1.2.3.4",null,"1.2.3","1.2"],
  ["[1.2.3.4]:80","1.2.3.4",null,"[1.2.3","[1.2"],
  ["198.51.100.1, 10.0.0.1","198.51.100.1",null,"198.51.100.1, 10.0.0","198.51.100.1, 10.0.0.1"],
  ["2001:DB8:0:0:0:0:0:1","2001:db8::1",null,"2001:db8:0","2001:db8"],
  ["2001:0db8:00a1::1","2001:db8:a1::1",null,"2001:db8:a1","2001:db8"],
  ["2001:db8:0:0:1:0:0:1","2001:db8::1:0:0:1",null,"2001:db8:0","2001:db8"],
  ["1:0:0:2:0:0:0:3","1:0:0:2::3",null,"1:0:0","1:0"],
  ["::","::",null,"0:0:0","0:0"],
  ["::1","::1",null,"0:0:0","0:0"],
  ["[::1]","::1",null,"0:0:0","0:0"],
  ["[::1]:443","::1",null,"[::1]:443","[::1]:443"],
  ["[2001:db8::1]:8443","2001:db8::1",null,"[2001:db8::1]:8443","[2001:db8::1]:8443"],
  ["fe80::1%eth0","fe80::1",null,"fe80:0:0","fe80:0"],
  ["fe80::1%en-0","fe80::1",null,"fe80:0:0","fe80:0"],
  ["fe80::1%","fe80::1",null,"fe80:0:0","fe80:0"],
  ["[fe80::1%eth0]","fe80::1",null,"fe80:0:0","fe80:0"],
  ["::ffff:198.51.100.7","198.51.100.7",3325256711,"198.51.100","198.51"],
  ["::FFFF:c633:6407","198.51.100.7",3325256711,"198.51.100","198.51"],
  ["0:0:0:0:0:ffff:203.0.113.10","203.0.113.10",3405803786,"203.0.113","203.0"],
  ["::ffff:0:0","0.0.0.0",0,"0.0.0","0.0"],
  ["::ffff:010.1.1.1",null,null,"::ffff:010.1.1","::ffff:010.1"],
  ["::ffff:0x1.1.1.1",null,null,"::ffff:0x1.1.1","::ffff:0x1.1"],
  ["::ffff:999.1.1.1",null,null,"::ffff:999.1.1","::ffff:999.1"],
  ["::ffff:1.2.3.4%x","1.2.3.4",16909060,"1.2.3","1.2"],
  ["::1.2.3.4","::102:304",null,"0:0:0","0:0"],
  ["0::1.2.3.4","::102:304",null,"0:0:0","0:0"],
  ["1:2:3:4:5:6:1.2.3.4","1:2:3:4:5:6:102:304",null,"1:2:3","1:2"],
  ["1:2:3:4:5:6:7:1.2.3.4",null,null,"1:2:3:4:5:6:7:1.2.3","1:2:3:4:5:6:7:1.2"],
  ["1::2::3",null,null,"1::2::3","1::2::3"],
  [":::",null,null,":::",":::"],
  ["2001:db8::00001",null,null,"2001:db8::00001","2001:db8::00001"],
  ["12345::",null,null,"12345::","12345::"],
  ["::gggg",null,null,"::gggg","::gggg"],
  ["xx.xxx.xxx.xx",null,null,"xx.xxx.xxx","xx.xxx"],
  ["",null,null,"",""],
  ["  ",null,null,"  ","  "],
  ["localhost",null,null,"localhost","localhost"],
  ["<script>",null,null,"<script>","<script>"],
];

test("every address reads as it did before ipaddr.js (leading zeros, short IPv4, zones, ports, embedded IPv4)", () => {
  for (const [input, canonical, ipv4, network, carrierBlock] of TABLE) {
    const label = JSON.stringify(input);
    assert.equal(parseIp(input), canonical, `parseIp(${label})`);
    assert.equal(ipv4ToUint(input), ipv4, `ipv4ToUint(${label})`);
    assert.equal(networkOf(input), network, `networkOf(${label})`);
    assert.equal(carrierBlockOf(input), carrierBlock, `carrierBlockOf(${label})`);
  }
});

test("the canonical form is a fixed point: parsing it again gives itself", () => {
  for (const [input, canonical] of TABLE) {
    if (canonical !== null) assert.equal(parseIp(canonical), canonical, JSON.stringify(input));
  }
});
