// Creating a VideoRoom on a test Janus through its plain HTTP API (session, handle, a
// synchronous `create` request), as a deployment's back end does before its users join.
async function janusPost(url: string, body: object): Promise<any> {
  const res = await fetch(url, { method: "POST", body: JSON.stringify({ ...body, transaction: Math.random().toString(36).slice(2) }) });
  const json = (await res.json()) as any;
  if (json.janus === "error") throw new Error(`janus: ${json.error.code} ${json.error.reason}`);
  return json;
}

export async function createVideoRoom(url: string, room: number): Promise<void> {
  const session = (await janusPost(url, { janus: "create" })).data.id;
  try {
    const handle = (await janusPost(`${url}/${session}`, { janus: "attach", plugin: "janus.plugin.videoroom" })).data.id;
    const res = await janusPost(`${url}/${session}/${handle}`, {
      janus: "message",
      body: { request: "create", room, publishers: 6, bitrate: 256_000, description: `roomledger test ${room}` },
    });
    const data = res.plugindata?.data ?? {};
    if (data.videoroom !== "created") throw new Error(`VideoRoom create failed: ${JSON.stringify(data)}`);
  } finally {
    await janusPost(`${url}/${session}`, { janus: "destroy" }).catch(() => {});
  }
}
