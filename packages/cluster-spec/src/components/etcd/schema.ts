import * as z from 'zod';
import { absolutePath, image, port, runtime, text, version } from '../../fields.js';
import { ETCD_DEFAULTS as D } from './facts.js';

const etcdTunables = {
  clientPort: port(D.clientPort),
  peerPort: port(D.peerPort),
  dataDir: absolutePath(D.dataDir),
  initialClusterState: z.enum(['new', 'existing']).meta({
    default: D.initialClusterState,
    description: '`existing` for a member that joins a running cluster',
  }),
};

export const etcdSection = z.strictObject({
  version: version('3.5.17'),
  runtime: runtime(D.runtime).optional(),
  image: image.optional(),
  ...z.strictObject(etcdTunables).partial().shape,
  legacyPorts: z
    .boolean()
    .meta({
      default: false,
      description: 'Also serve the pre-2.x client 4001 and peer 7001 ports (etcd 2.x)',
    })
    .optional(),
  token: text()
    .min(1)
    .meta({ description: 'initial-cluster-token; default: derived from the cluster name' })
    .optional(),
  enableV2: z
    .boolean()
    .meta({
      description: 'Serve the v2 API (3.4–3.5); default: on when podmaster or the k8sm scheduler need it',
    })
    .optional(),
  tls: z
    .strictObject({
      client: z.boolean().meta({ default: false }),
      peer: z.boolean().meta({ default: false }),
      pkiDir: text()
        .min(1)
        .meta({ description: 'Directory of `k8sm-render pki`, relative to the spec file' }),
    })
    .partial()
    .optional(),
});

export const etcdHostSection = z.strictObject(etcdTunables).partial();

export type EtcdSpec = z.infer<typeof etcdSection>;
