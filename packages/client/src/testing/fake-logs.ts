import type { ServerResponse } from 'node:http';
import { HelixError } from '@helixstack/sdk';
import type { LogEvent } from '../deployment-types.ts';
import { isFinalState, logSources } from '../deployment-types.ts';
import type { FakeDeployment } from './fake-deployments.ts';
import type { FakeAnswer } from './fake-routes.ts';
import type { FakeState } from './fake-state.ts';

interface StreamQuery {
  after: number;
  follow: boolean;
  untilFinal: boolean;
  source: string | null;
}

function parseQuery(query: URLSearchParams): StreamQuery {
  const after = Number(query.get('after') ?? '0');
  if (!Number.isInteger(after) || after < 0) throw new HelixError('HLX_VALIDATION', 'after must be a seq.');
  const source = query.get('source');
  if (source !== null && !(logSources as readonly string[]).includes(source)) {
    throw new HelixError('HLX_VALIDATION', 'source must be build, runtime or system.');
  }
  return {
    after,
    follow: query.get('follow') === 'true',
    untilFinal: query.get('until') === 'final',
    source,
  };
}

/**
 * Streams a deployment's log as the API does: its state, a ping, the stored lines after the
 * cursor, then (following) new lines and state changes. A count queued in
 * state.logStreamDrops cuts the next stream's connection after that many lines.
 */
export function followLogsAnswer(
  state: FakeState,
  deployment: FakeDeployment,
  query: URLSearchParams,
): FakeAnswer {
  const { after, follow, untilFinal, source } = parseQuery(query);
  const dropAfter = state.logStreamDrops.shift();
  const stream = (res: ServerResponse) => {
    let lines = 0;
    let closed = false;
    let unsubscribe = () => {};
    const finish = (cut: boolean) => {
      if (closed) return;
      closed = true;
      unsubscribe();
      if (!cut) res.end();
    };
    const send = (event: LogEvent) => {
      if (closed) return;
      if (event.type === 'log' && (event.seq <= after || (source !== null && event.source !== source)))
        return;
      const cut = event.type === 'log' && dropAfter !== undefined && ++lines >= dropAfter;
      res.write(`${JSON.stringify(event)}\n`, () => {
        if (cut) res.socket?.destroy();
      });
      if (cut) finish(true);
    };
    res.on('close', () => finish(true));
    send({ type: 'state', state: deployment.state, errorMessage: deployment.errorMessage });
    send({ type: 'ping' });
    for (const line of deployment.lines) send(line);
    if (!follow || (untilFinal && isFinalState(deployment.state))) return finish(false);
    if (closed) return;
    unsubscribe = state.deployments.subscribe(deployment.id, (event) => {
      send(event);
      if (untilFinal && event.type === 'state' && isFinalState(event.state)) finish(false);
    });
  };
  return { status: 200, headers: { 'content-type': 'application/x-ndjson' }, stream };
}
