import { ConnectorError } from '../../common/connector.error.js';
import type { IdsMessage } from '../messages/message.types.js';

/** A remote connector answered with an ids:RejectionMessage (or ids:ContractRejectionMessage). */
export class RemoteRejectionError extends ConnectorError {
  constructor(
    /** idsc reason, e.g. NOT_AUTHORIZED. */
    readonly reason: string,
    readonly explanation: string,
    readonly reply: IdsMessage,
  ) {
    super('REMOTE_ERROR', `the remote connector rejected the message: ${reason}${explanation ? ` (${explanation})` : ''}`);
  }
}
