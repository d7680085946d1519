// roomledger/qos-collector: call quality from the browser, reported as SparkRTC client QoS
// samples (what ListRtcClientQosDetails serves). Plain ESM, no dependencies: the package
// ships this file as it is (no build step between it and the page).
//
// Every `intervalMs` (default 2000, the SparkRTC SDK's stats cadence) it calls getStats() on
// each peer connection and derives, from the difference with the previous report (Δt is the
// difference of the RTP stat's `timestamp`, in ms):
//
//   metric   uplink (uid = you, peer_id "0")               downlink (uid = sender, peer_id = you)
//   abit     Σ outbound-rtp[audio] Δ bytesSent·8/Δt        Σ inbound-rtp[audio] Δ bytesReceived·8/Δt   (kbit/s)
//   vbit     same for video                               same for video                             (kbit/s)
//   vfps     Σ outbound-rtp[video] Δ framesSent/Δt·1000   Σ inbound-rtp[video] Δ framesDecoded/Δt·1000 (fps)
//   aloss    remote-inbound-rtp[audio] fractionLost·100  Δ packetsLost / (Δ packetsLost + Δ packetsReceived)·100 (%)
//   vloss    same for video                               same for video                             (%)
//   ajitter  remote-inbound-rtp[audio] jitter·1000       inbound-rtp[audio] jitter·1000             (ms)
//   vjitter  same for video                               same for video                             (ms)
//   artt     remote-inbound-rtp[audio] roundTripTime·1000 remote-outbound-rtp[audio] roundTripTime·1000, when the browser has it (ms)
//   vrtt     same for video                               same for video (Chrome has none for video) (ms)
//   vblock   —                                            inbound-rtp[video] Δ totalFreezesDuration/Δt·100 (% of the interval frozen)
//
// appcpu/syscpu are left out (no browser API reports CPU), and so are ablock, vwidth/vheight
// and the d* (screen-share) metrics. A metric whose source is missing, or whose delta has
// no packets (loss with nothing received), is left out of the sample, never reported as 0.
// A sample is the first report of a pair: the first tick of a connection only primes the deltas.
//
// Uploads: NDJSON to POST {url}/ingest/v1/rtc/qos with a browser upload token, at most
// `maxBatch` samples a request, one request in flight; 429/503/network errors retry with
// exponential backoff (1 s doubling to 30 s, or Retry-After), 400/403 drop the batch
// (it cannot succeed) and 401 asks `token` again when it is a function. At most
// `maxQueue` samples wait (oldest dropped first). Nothing here throws into the page: errors
// go to `onError`.

const KINDS = ["audio", "video"];

/**
 * @param {{
 *   url: string, token: string | (() => string | Promise<string>), roomId: string, userId: string,
 *   intervalMs?: number, maxBatch?: number, maxQueue?: number,
 *   fetch?: typeof fetch, onError?: (err: unknown) => void,
 * }} options
 */
export function createQosCollector(options) {
  const { url, roomId, userId } = options;
  const intervalMs = options.intervalMs ?? 2000;
  const maxBatch = options.maxBatch ?? 300;
  const maxQueue = options.maxQueue ?? 3000;
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const onError = options.onError ?? (() => {});
  const endpoint = `${url.replace(/\/$/, "")}/ingest/v1/rtc/qos`;
  /** @type {Map<RTCPeerConnection, {remoteUserId: string, streamId: string, prev: Map<string, any>}>} */
  const peers = new Map();
  /** @type {object[]} */
  let queue = [];
  let token = typeof options.token === "string" ? options.token : null;
  let sending = false;
  let failures = 0;
  let notBefore = 0;
  let stopped = false;
  let counter = 0;

  const getToken = async () => {
    if (token === null) token = await /** @type {() => string | Promise<string>} */ (options.token)();
    return token;
  };

  async function measure(pc, entry) {
    let report;
    try {
      report = await pc.getStats();
    } catch (err) {
      onError(err);
      return;
    }
    const now = new Map();
    report.forEach((s) => now.set(s.id, s));
    const samples = derive(now, entry.prev, entry);
    entry.prev = now;
    for (const s of samples) queue.push(s);
    if (queue.length > maxQueue) queue = queue.slice(queue.length - maxQueue);
  }

  /** The uplink and downlink samples of one connection from two consecutive reports. */
  function derive(now, prev, entry) {
    const up = {};
    const down = {};
    let upTime = 0;
    let downTime = 0;
    for (const s of now.values()) {
      const p = prev.get(s.id);
      const kind = s.kind;
      if (!KINDS.includes(kind)) continue;
      const k = kind[0];
      const dt = p ? s.timestamp - p.timestamp : 0;
      if (s.type === "outbound-rtp" && dt > 0) {
        upTime = upTime || s.timestamp;
        add(up, `${k}bit`, ((s.bytesSent - p.bytesSent) * 8) / dt);
        if (kind === "video") add(up, "vfps", ((s.framesSent - p.framesSent) * 1000) / dt);
      } else if (s.type === "remote-inbound-rtp") {
        set(up, `${k}loss`, s.fractionLost * 100);
        set(up, `${k}jitter`, s.jitter * 1000);
        set(up, `${k}rtt`, s.roundTripTime * 1000);
      } else if (s.type === "inbound-rtp" && dt > 0) {
        downTime = downTime || s.timestamp;
        add(down, `${k}bit`, ((s.bytesReceived - p.bytesReceived) * 8) / dt);
        const lost = s.packetsLost - p.packetsLost;
        const expected = lost + s.packetsReceived - p.packetsReceived;
        if (expected > 0) set(down, `${k}loss`, (Math.max(0, lost) / expected) * 100);
        set(down, `${k}jitter`, s.jitter * 1000);
        if (kind === "video") {
          add(down, "vfps", ((s.framesDecoded - p.framesDecoded) * 1000) / dt);
          set(down, "vblock", ((s.totalFreezesDuration - p.totalFreezesDuration) * 1000 * 100) / dt);
        }
      } else if (s.type === "remote-outbound-rtp") {
        set(down, `${k}rtt`, s.roundTripTime * 1000);
      }
    }
    const out = [];
    const base = { room_id: roomId, stream_id: entry.streamId };
    // The gauges of remote-inbound-rtp come without a delta: sent only with a delta-based sample.
    if (upTime && Object.keys(up).length > 0) out.push({ ...base, ctime: Math.round(upTime), uid: userId, peer_id: "0", metrics: up });
    if (downTime && Object.keys(down).length > 0) {
      out.push({ ...base, ctime: Math.round(downTime), uid: entry.remoteUserId, peer_id: userId, metrics: down });
    }
    return out;
  }

  async function flush(final) {
    if (sending || queue.length === 0 || Date.now() < notBefore) return;
    sending = true;
    const batch = queue.slice(0, maxBatch);
    try {
      const body = `${batch.map((s) => JSON.stringify(s)).join("\n")}\n`;
      const res = await doFetch(endpoint, {
        method: "POST",
        headers: { authorization: `Bearer ${await getToken()}`, "content-type": "application/x-ndjson" },
        body,
        // keepalive lets the last batch outlive the page; browsers cap such bodies at 64 KB.
        keepalive: final === true && body.length < 60000,
      });
      if (res.ok || res.status === 400 || res.status === 403 || res.status === 413) {
        queue = queue.slice(batch.length);
        failures = 0;
        if (!res.ok) onError(new Error(`roomledger refused ${batch.length} samples: ${res.status} ${await res.text()}`));
        return;
      }
      if (res.status === 401 && typeof options.token === "function") token = null;
      const retryAfter = Number(res.headers.get("retry-after"));
      backoff(retryAfter > 0 ? retryAfter * 1000 : 0, new Error(`roomledger answered ${res.status} ${await res.text()}`));
    } catch (err) {
      backoff(0, err);
    } finally {
      sending = false;
    }
  }

  function backoff(ms, err) {
    failures++;
    notBefore = Date.now() + (ms || Math.min(30000, 1000 * 2 ** (failures - 1)) * (0.75 + Math.random() / 2));
    onError(err);
  }

  async function tick() {
    await Promise.all(
      [...peers].map(([pc, entry]) => {
        if (pc.connectionState === "closed") {
          peers.delete(pc);
          return undefined;
        }
        return measure(pc, entry);
      }),
    );
    await flush(false);
  }

  let running = false;
  const timer = setInterval(() => {
    // A slow getStats or upload skips a tick rather than piling calls up.
    if (running || stopped) return;
    running = true;
    tick()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);

  return {
    /** Measures a connection from now on; `remoteUserId` names who sends what it receives. */
    add(pc, { remoteUserId, streamId } = {}) {
      if (!remoteUserId) throw new TypeError("add(pc, { remoteUserId }): the remote user is required");
      peers.set(pc, { remoteUserId, streamId: streamId ?? `pc${++counter}`, prev: new Map() });
    },
    remove(pc) {
      peers.delete(pc);
    },
    /** Samples waiting to be sent. */
    get pending() {
      return queue.length;
    },
    /** Stops measuring, measures once more and makes one last upload attempt (never rejects). */
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 20));
      notBefore = 0;
      try {
        await Promise.all([...peers].map(([pc, entry]) => (pc.connectionState === "closed" ? undefined : measure(pc, entry))));
        while (queue.length > 0 && Date.now() >= notBefore && !sending) {
          const before = queue.length;
          await flush(true);
          if (queue.length === before) break;
        }
      } catch (err) {
        onError(err);
      }
      peers.clear();
    },
  };
}

function add(m, key, v) {
  if (Number.isFinite(v)) m[key] = Math.max(0, (m[key] ?? 0) + v);
}
function set(m, key, v) {
  if (Number.isFinite(v)) m[key] = Math.max(0, v);
}
