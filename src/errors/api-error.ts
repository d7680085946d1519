// One error type for every protocol. A product throws ApiError with the wire code of its
// cloud; each protocol renders it in its own envelope (Tencent: HTTP 200 + Response.Error;
// Huawei: error_code/error_msg with an HTTP status; ingest/agent: JSON problem + status).

export interface ApiErrorInit {
  /** English message (X-TC-Language en-US, and the default). */
  message: string;
  /** Chinese message (X-TC-Language zh-CN); falls back to the English one. */
  messageZh?: string;
  /** HTTP status for protocols that use one (Huawei, ingest). Tencent always answers 200. */
  httpStatus?: number;
  /** Extra headers (e.g. Retry-After) for protocols that send them. */
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly code: string;
  readonly messageZh: string;
  readonly httpStatus: number;
  readonly headers: Record<string, string>;
  constructor(code: string, init: ApiErrorInit | string) {
    const i = typeof init === "string" ? { message: init } : init;
    super(i.message);
    this.name = "ApiError";
    this.code = code;
    this.messageZh = i.messageZh ?? i.message;
    this.httpStatus = i.httpStatus ?? 400;
    this.headers = i.headers ?? {};
  }
  messageFor(language: "en-US" | "zh-CN"): string {
    return language === "zh-CN" ? this.messageZh : this.message;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
