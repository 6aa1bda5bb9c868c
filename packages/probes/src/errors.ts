import { K8smError } from '@k8sm/spec';

/** A probe is given a member it cannot name a socket for: not `host:port`, or a port outside 1-65535. */
export class EndpointError extends K8smError {
  static override readonly code: string = 'K8SM_PROBE_ENDPOINT';
  constructor(message: string) {
    super(EndpointError.code, message);
    this.name = 'EndpointError';
  }
}
