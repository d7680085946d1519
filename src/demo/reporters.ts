// How the demo's clients, devices and workers report: the ingest API (JSON batches, the QoS
// NDJSON stream, TRRO devices with their own tokens). Each call is one HTTP request; a
// refused batch stops the demo with the server's explanation.

async function post(url: string, headers: Record<string, string>, body: string): Promise<unknown> {
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${new URL(url).pathname}: ${res.status} ${text.slice(0, 500)}`);
  return text === "" ? {} : JSON.parse(text);
}

/** POST /ingest/v1/events with an app's ingest key. */
export function ingestEvents(baseUrl: string, ingestKey: string, events: unknown[]): Promise<unknown> {
  if (events.length === 0) return Promise.resolve({});
  return post(
    `${baseUrl}/ingest/v1/events`,
    { authorization: `Bearer ${ingestKey}`, "content-type": "application/json" },
    JSON.stringify(events),
  );
}

/** POST /ingest/v1/rtc/qos, NDJSON: one sample per line. */
export function ingestQos(baseUrl: string, ingestKey: string, lines: unknown[]): Promise<unknown> {
  if (lines.length === 0) return Promise.resolve({});
  return post(
    `${baseUrl}/ingest/v1/rtc/qos`,
    { authorization: `Bearer ${ingestKey}`, "content-type": "application/x-ndjson" },
    lines.map((l) => JSON.stringify(l)).join("\n"),
  );
}

/** POST /ingest/v1/trro/reports as one device (project id, device id, device token). */
export function deviceReport(baseUrl: string, projectId: string, deviceId: string, token: string, events: unknown[]): Promise<unknown> {
  if (events.length === 0) return Promise.resolve({});
  return post(
    `${baseUrl}/ingest/v1/trro/reports`,
    {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "x-trro-project-id": projectId,
      "x-trro-device-id": deviceId,
    },
    JSON.stringify(events),
  );
}
