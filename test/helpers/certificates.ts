/**
 * Test certificates made at test time with the `openssl` command (Debian's openssl package): a
 * CA, a server certificate for 127.0.0.1 and client certificates it signed (PEM, and PKCS#12
 * with a password), as a console's Secure Access issues them; and a client certificate of
 * another CA, which the console must refuse.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCertificates {
  dir: string;
  /** The console's CA (PEM): it signs the server's and the clients' certificates. */
  caCert: string;
  serverKey: string;
  serverCert: string;
  /** Paths of the client's PEM certificate and key (key unencrypted). */
  clientCertPath: string;
  clientKeyPath: string;
  /** Path of the client's PKCS#12 file and its password. */
  clientPfxPath: string;
  pfxPassword: string;
  /** Path of a PKCS#12 file of another CA's client certificate (same password). */
  strangerPfxPath: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

/** A CA and a certificate `name` it signs (client, or server with `san`). */
function issue(dir: string, ca: string, name: string, subject: string, extensions: string): void {
  openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, "x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial", "-days", "800", "-sha256", "-extfile", `${name}.ext`, "-out", `${name}.crt`);
}

function newCa(dir: string, name: string, subject: string): void {
  openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.crt`, "-days", "800", "-sha256", "-subj", subject);
}

function pkcs12(dir: string, name: string, password: string): string {
  openssl(dir, "pkcs12", "-export", "-inkey", `${name}.key`, "-in", `${name}.crt`, "-out", `${name}.p12`, "-passout", `pass:${password}`);
  return join(dir, `${name}.p12`);
}

/** Make the certificates in `dir` (EC keys: a fraction of a second). */
export function makeTestCertificates(dir: string): TestCertificates {
  const pfxPassword = "pfx-Secret-42";
  newCa(dir, "ca", "/O=kansa test/CN=Secure Access test CA");
  issue(dir, "ca", "server", "/CN=127.0.0.1", "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  issue(dir, "ca", "client", "/CN=kansa-audit", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
  newCa(dir, "stranger-ca", "/O=someone else/CN=Another CA");
  issue(dir, "stranger-ca", "stranger", "/CN=kansa-audit", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n");
  const read = (file: string) => readFileSync(join(dir, file), "utf8");
  return {
    dir,
    caCert: read("ca.crt"),
    serverKey: read("server.key"),
    serverCert: read("server.crt"),
    clientCertPath: join(dir, "client.crt"),
    clientKeyPath: join(dir, "client.key"),
    clientPfxPath: pkcs12(dir, "client", pfxPassword),
    pfxPassword,
    strangerPfxPath: pkcs12(dir, "stranger", pfxPassword),
  };
}
