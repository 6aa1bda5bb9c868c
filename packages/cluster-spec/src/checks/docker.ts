import { type CheckContext, defineCheck } from './definition.js';

/**
 * The option prefix each storage driver parses: any other key stops dockerd ("devmapper: Unknown
 * option", "overlay2: unknown option"; moby daemon/graphdriver/devmapper/deviceset.go and
 * overlay2/overlay.go, parseOptions). Drivers not listed here are not checked.
 */
const STORAGE_OPTION_PREFIX: Readonly<Record<string, string>> = {
  devicemapper: 'dm.',
  overlay2: 'overlay2.',
  btrfs: 'btrfs.',
  zfs: 'zfs.',
};

/** The daemon.json section of the spec, when there are nodes to write it for. */
const dockerOf = ({ spec, members }: CheckContext) =>
  members.k8sNodes.length > 0 ? spec.kubernetes?.docker : undefined;

export const dockerStorageOpts = defineCheck({
  id: 'docker-storage-opts',
  severity: 'error',
  waivable: true,
  about: 'daemon.json storage-opts must be options of the storage driver they are written for',
  run: (context) => {
    const docker = dockerOf(context);
    const opts = docker?.storageOpts;
    if (!opts) return;
    const driver = docker.storageDriver;
    if (!driver) {
      context.report(
        ['kubernetes', 'docker', 'storageOpts'],
        'storage-opts without a storage driver: dockerd picks one itself and refuses the options of any other',
        'set kubernetes.docker.storageDriver (e.g. "devicemapper" for dm.… options)',
      );
      return;
    }
    const prefix = STORAGE_OPTION_PREFIX[driver];
    if (prefix === undefined) return;
    opts.forEach((opt, i) => {
      if (!opt.toLowerCase().startsWith(prefix))
        context.report(
          ['kubernetes', 'docker', 'storageOpts', i],
          `"${opt}" is not a ${driver} option: dockerd with storage-driver ${driver} refuses to start on it`,
          `name ${driver} options with "${prefix}", or waive "docker-storage-opts" with a reason`,
        );
    });
  },
});

export const dockerLoopLvm = defineCheck({
  id: 'docker-loop-lvm',
  severity: 'warning',
  waivable: true,
  about: 'devicemapper without a thin pool runs on loopback files (loop-lvm)',
  run: (context) => {
    const docker = dockerOf(context);
    if (docker?.storageDriver !== 'devicemapper') return;
    const keys = (docker.storageOpts ?? []).map((o) => o.split('=')[0]?.toLowerCase());
    // moby devmapper deviceset.go: no dm.thinpooldev means loopback data and metadata files
    // ("Usage of loopback devices is strongly discouraged for production use"); dm.directlvm_device
    // has dockerd build the thin pool on that device itself
    if (!keys.includes('dm.thinpooldev') && !keys.includes('dm.directlvm_device'))
      context.report(
        ['kubernetes', 'docker', 'storageDriver'],
        'devicemapper without dm.thinpooldev (or dm.directlvm_device) falls back to loop-lvm: loopback files, slow and discouraged for production',
        'add "dm.thinpooldev=/dev/mapper/<pool>" (or "dm.directlvm_device=/dev/<disk>") to kubernetes.docker.storageOpts, use overlay2, or waive "docker-loop-lvm" with a reason',
      );
  },
});
