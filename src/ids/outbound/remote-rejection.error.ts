import { ConnectorError } from '../../common/connector.error.js';
import type { IdsMessage } from '../messages/message.types.js';

/**
 * A remote connector answered with an ids:RejectionMessage (or ids:ContractRejectionMessage). A provider's
 * NOT_AUTHORIZED is a usage-policy or agreement decision, the same kind of answer as a local denial, so it keeps
 * that code (403 on the admin API); any other rejection is the remote side's failure (502).
 */
export class RemoteRejectionError extends ConnectorError {
  constructor(
    /** idsc reason, e.g. NOT_AUTHORIZED. */
    readonly reason: string,
    readonly explanation: string,
    readonly reply: IdsMessage,
  ) {
    super(
      reason === 'NOT_AUTHORIZED' ? 'NOT_AUTHORIZED' : 'REMOTE_ERROR',
      `the remote connector rejected the message: ${reason}${explanation ? ` (${explanation})` : ''}`,
    );
  }
}
