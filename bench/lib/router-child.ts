// The router under benchmark, in its own process: one host routed to the upstream given in argv.
import { BatchingAccessSink, createRouter, MemoryRouteTable } from '@helixstack/router';

const upstreamPort = Number(process.argv[2]);
const host = process.argv[3] ?? 'bench.localhost';
let recorded = 0;
// Access records go through the real batching path; the store only counts them.
const access = new BatchingAccessSink({
  flush: (records) => {
    recorded += records.length;
  },
});
const routes = new MemoryRouteTable([
  [
    host,
    {
      kind: 'upstream',
      deploymentId: 'dpl_bench',
      projectId: 'prj_bench',
      upstreams: [{ host: '127.0.0.1', port: upstreamPort }],
    },
  ],
]);
const router = createRouter({ routes, access });
const { port } = await router.listen(0, '127.0.0.1');
process.send?.({ port });
process.on('disconnect', () => {
  void router.close().then(() => {
    process.stderr.write(`router child: ${recorded} access records, ${access.dropped} dropped\n`);
    process.exit(0);
  });
});
