// The `roomledger` package entry: start a server in this process. loadConfig reads the same
// flags and environment variables as `roomledger serve` (see `roomledger serve --help`).
// For tests, `roomledger/testing` (src/testing/) starts one in memory on free ports.
export { startServer, type RunningServer, type StartOptions } from "./server.ts";
export { loadConfig, type Config, type ConfigSource } from "./config.ts";
