/**
 * A small forwarding HTTP proxy for tests, like the static-IP proxies Heroku add-ons provide: it
 * forwards plain requests (absolute-form URLs) and tunnels CONNECT, opening its outbound
 * connections from `outboundAddress` (a second loopback address, 127.0.0.2, so that the server
 * behind it sees the proxy's address rather than the test's). With `credentials` it answers 407
 * to requests without that Basic `Proxy-Authorization`. Loopback targets only.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

export interface TestProxy {
  /** http://host:port of the proxy (no credentials). */
  url: string;
  host: string;
  port: number;
  /** Requests forwarded and tunnels opened. */
  forwarded: number;
  /** Requests refused for missing or wrong credentials. */
  refused: number;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

export async function startTestProxy(options: { host: string; outboundAddress: string; credentials?: { username: string; password: string } }): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const expected = options.credentials ? `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString("base64")}` : null;
  const authorized = (req: IncomingMessage) => expected === null || req.headers["proxy-authorization"] === expected;
  const challenge = 'Proxy-Authenticate: Basic realm="test proxy"';

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!authorized(req)) {
      proxy.refused++;
      res.writeHead(407, { "Proxy-Authenticate": 'Basic realm="test proxy"', "Content-Length": "0" });
      res.end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (target.protocol !== "http:" || !LOOPBACK.test(target.hostname)) {
      res.writeHead(403).end();
      return;
    }
    proxy.forwarded++;
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    delete headers["proxy-connection"];
    const upstream = request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers, localAddress: options.outboundAddress },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    if (!authorized(req)) {
      proxy.refused++;
      client.end(`HTTP/1.1 407 Proxy Authentication Required\r\n${challenge}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = [(req.url ?? "").replace(/:\d+$/, ""), Number((req.url ?? "").split(":").pop())];
    if (!LOOPBACK.test(host) || !Number.isInteger(port)) {
      client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    proxy.forwarded++;
    const upstream = connect({ host: host.replace(/^\[|\]$/g, ""), port, localAddress: options.outboundAddress }, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const proxy: TestProxy = {
    url: `http://${options.host}:${port}`,
    host: options.host,
    port,
    forwarded: 0,
    refused: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return proxy;
}
