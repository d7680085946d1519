// A lossy, slow UDP relay on loopback for media tests: `forward(host, port)` opens a socket
// that passes datagrams to that address and back to whoever last sent from elsewhere,
// dropping each datagram with probability `loss` and delaying each by `delayMs`, both ways.
// A page that replaces its peer's ICE candidates with relay addresses forces its media
// (and STUN, RTCP) through here: one relay hop delays each direction by delayMs, so the
// round trip grows by 2 × delayMs and each direction loses `loss` of its packets.
import dgram from "node:dgram";
import type { AddressInfo } from "node:net";

export interface UdpRelay {
  /** A relay port on 127.0.0.1 in front of host:port (one per target, reused). */
  forward(host: string, port: number): Promise<number>;
  /** Datagrams seen and dropped so far, both directions. */
  stats(): { passed: number; dropped: number };
  close(): Promise<void>;
}

export function startUdpRelay(o: {
  loss: number;
  delayMs: number;
  random?: () => number;
  /**
   * The address the relay's sockets bind (default 127.0.0.1). Janus never gathers on
   * loopback and ignores loopback peers, so its tests put the relay on this host's own
   * address (janus-e2e.test.ts); every other test keeps the loopback default.
   */
  bindHost?: string;
}): UdpRelay {
  const random = o.random ?? Math.random;
  const sockets = new Map<string, Promise<number>>();
  const open: dgram.Socket[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let passed = 0;
  let dropped = 0;
  let closed = false;

  const send = (sock: dgram.Socket, msg: Buffer, port: number, host: string) => {
    if (random() < o.loss) {
      dropped++;
      return;
    }
    passed++;
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) sock.send(msg, port, host);
    }, o.delayMs);
    timers.add(t);
  };

  return {
    forward(host, port) {
      const key = `${host}:${port}`;
      let p = sockets.get(key);
      if (!p) {
        p = new Promise<number>((resolve, reject) => {
          const sock = dgram.createSocket("udp4");
          open.push(sock);
          let client: { address: string; port: number } | null = null;
          sock.on("message", (msg, from) => {
            if (from.address === host && from.port === port) {
              if (client) send(sock, msg, client.port, client.address);
            } else {
              client = { address: from.address, port: from.port };
              send(sock, msg, port, host);
            }
          });
          sock.once("error", reject);
          sock.bind(0, o.bindHost ?? "127.0.0.1", () => resolve((sock.address() as AddressInfo).port));
        });
        sockets.set(key, p);
      }
      return p;
    },
    stats: () => ({ passed, dropped }),
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all(open.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
