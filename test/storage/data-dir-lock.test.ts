// One server per PGlite data directory (issue 16, item 1): a second `serve` on a directory a
// live server holds exits 1 with one line naming the holder, before PGlite touches the files;
// after the holder is SIGKILLed the next start recovers the lock and the data. PostgreSQL is
// not concerned: several instances on one database are supported there.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { runCli, startServer, TEST_ADMIN_TOKEN, TEST_SECRET_ID, TEST_SECRET_KEY, type TestServer } from "../support/server.ts";

const servers: TestServer[] = [];
after(async () => {
  for (const s of servers) await s.kill();
  if (servers[0]) rmSync(servers[0].dataDir, { recursive: true, force: true });
});

test("a second serve on a held data directory exits 1 naming the holder; after SIGKILL a restart recovers", async () => {
  const first = await startServer({ dataDir: undefined });
  servers.push(first);
  const appId = await first.createApp(["lcic"], "held");

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROOMLEDGER_SECRET_ID: TEST_SECRET_ID,
    ROOMLEDGER_SECRET_KEY: TEST_SECRET_KEY,
    ROOMLEDGER_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
  };
  delete env.DATABASE_URL;
  const second = await runCli(["serve", "--data", first.dataDir, "--port", "0", "--admin-port", "0", "--dev"], env);
  assert.equal(second.code, 1, second.stdout + second.stderr);
  const lines = second.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, second.stderr);
  assert.match(
    lines[0]!,
    new RegExp(
      `^roomledger: the data directory .* is in use by another roomledger \\(pid ${first.proc.pid}, started \\d{4}-\\d\\d-\\d\\dT`,
    ),
  );
  // The first server was not disturbed.
  assert.equal(
    (await first.admin<{ apps: { appId: string }[] }>("GET", "/apps")).apps.some((a) => a.appId === appId),
    true,
  );

  await first.kill();
  const restarted = await startServer({ dataDir: first.dataDir });
  servers.push(restarted);
  assert.equal(
    (await restarted.admin<{ apps: { appId: string }[] }>("GET", "/apps")).apps.some((a) => a.appId === appId),
    true,
  );
});
