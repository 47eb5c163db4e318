import { request } from 'node:http';

export type ProbeResult = { status: number } | { error: string };

export function isHealthyStatus(status: number): boolean {
  return status >= 200 && status < 400;
}

/** One GET of the health path; never rejects, so the caller only reads the outcome. */
export function probeHttp(host: string, port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0 });
    });
    req.on('timeout', () => {
      resolve({ error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}
