// The two public APIs, typed from the committed OpenAPI documents (generated at build time).
import createClient, { type Middleware } from "openapi-fetch";
import type { paths as MsoPaths } from "./api/mso.gen";
import type { paths as PcPaths } from "./api/pc.gen";

export type Session = { token: string; role: string; name: string };

let current: Session | null = null;

export function useSessionToken(session: Session | null): void {
  current = session;
}

const bearer: Middleware = {
  onRequest({ request }) {
    if (current) request.headers.set("Authorization", `Bearer ${current.token}`);
    return request;
  },
};

export const mso = createClient<MsoPaths>({ baseUrl: "/api/mso" });
export const pc = createClient<PcPaths>({ baseUrl: "/api/pc" });
mso.use(bearer);
pc.use(bearer);

/** An RFC 9457 problem as the services answer it: the title and detail are what we show. */
export class Problem extends Error {
  constructor(
    readonly title: string,
    readonly detail: string,
    readonly status: number,
  ) {
    super(`${title}: ${detail}`);
  }
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The answer's body, or the problem it carries (thrown). */
export async function answer<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || data === undefined) {
    const body = (error ?? {}) as { title?: unknown; detail?: unknown };
    const title = typeof body.title === "string" ? body.title : response.statusText;
    const detail =
      typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail ?? body);
    throw new Problem(title || `HTTP ${response.status}`, detail, response.status);
  }
  return data;
}

// Types named by path and method, never by schema component: a renamed component flows through.
type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;
type Body<Op> = Op extends { requestBody?: infer R } ? Json<NonNullable<R>> : never;
type Ok<Op> = Op extends { responses: { 200: infer R } } ? Json<R> : never;
export type PcBody<P extends keyof PcPaths, M extends keyof PcPaths[P]> = Body<PcPaths[P][M]>;
export type PcAnswer<P extends keyof PcPaths> = Ok<PcPaths[P]["get"]>;
export type MsoBody<P extends keyof MsoPaths, M extends keyof MsoPaths[P]> = Body<MsoPaths[P][M]>;
