import * as z from 'zod';
import { absolutePath, image, ipv4, port, runtime, version } from '../../fields.js';
import { ZOOKEEPER_DEFAULTS as D } from './facts.js';

const FOUR_LETTER_WORDS = [
  'conf',
  'cons',
  'crst',
  'dirs',
  'dump',
  'envi',
  'gtmk',
  'isro',
  'mntr',
  'ruok',
  'srst',
  'srvr',
  'stat',
  'stmk',
  'wchc',
  'wchp',
  'wchs',
] as const;

const zookeeperTunables = {
  clientPort: port(D.clientPort),
  peerPort: port(D.peerPort),
  electionPort: port(D.electionPort),
  dataDir: absolutePath(D.dataDir),
  dataLogDir: absolutePath().meta({ description: 'Transaction log directory, ideally on its own disk' }),
  clientPortAddress: ipv4.meta({ description: 'Bind the client port to this address only' }),
  adminServer: z
    .strictObject({
      enabled: z.boolean().meta({ description: 'Default: on for 3.5–3.9, off from 3.10 (ZOOKEEPER-5050)' }),
      port: port(D.adminServer.port),
      address: ipv4,
    })
    .partial(),
};

export const zookeeperSection = z.strictObject({
  version: version('3.8.4'),
  runtime: runtime(D.runtime).optional(),
  image: image.optional(),
  ...z.strictObject(zookeeperTunables).partial().shape,
  tickTime: z.number().int().min(1).meta({ default: D.tickTime }).optional(),
  initLimit: z.number().int().min(1).meta({ default: D.initLimit }).optional(),
  syncLimit: z.number().int().min(1).meta({ default: D.syncLimit }).optional(),
  maxClientCnxns: z.number().int().min(0).meta({ default: D.maxClientCnxns }).optional(),
  autopurge: z
    .strictObject({
      snapRetainCount: z.number().int().min(3).meta({ default: D.autopurge.snapRetainCount }),
      purgeInterval: z.number().int().min(0).meta({
        description: 'Hours between purges; 0 disables',
        default: D.autopurge.purgeInterval,
      }),
    })
    .partial()
    .optional(),
  fourLetterWords: z
    .array(z.enum(FOUR_LETTER_WORDS))
    .meta({
      description: '4lw.commands.whitelist for 3.5.3+ (where only srvr is on by default)',
      default: D.fourLetterWords,
    })
    .optional(),
});

export const zookeeperHostSection = z
  .strictObject({
    id: z
      .number({ error: 'write the ZooKeeper id as a whole number from 1 to 255' })
      .int({ error: 'write the ZooKeeper id as a whole number from 1 to 255' })
      .min(1, { error: 'ZooKeeper ids start at 1 (myid 0 is not a valid server id)' })
      .max(255, { error: 'ZooKeeper ids go up to 255' })
      .meta({
        description: 'myid and server.N of this member; default: its position among the zookeeper hosts',
      }),
    ...zookeeperTunables,
  })
  .partial();

export type ZookeeperSpec = z.infer<typeof zookeeperSection>;
