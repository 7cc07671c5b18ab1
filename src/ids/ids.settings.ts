import { hostAliases, int, oneOf, peerTransports } from '../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../config/setting.js';
import { TRANSPORTS } from './transport/ids-transport.codec.js';

/** The IDS message exchange: limits, timeouts and the transport used towards each peer. */
export const idsSettings = defineArea('ids', {
  maxMessageBytes: setting(
    'FEP_MAX_MESSAGE_BYTES',
    int(1024, 1 << 30),
    16 << 20,
    'largest inbound IDS message payload accepted on `/data` (artifact responses stream and have no limit)',
  ),
  timeoutMs: setting('FEP_IDS_TIMEOUT_MS', int(100, 3_600_000), 30_000, 'timeout of an outbound IDS request'),
  defaultTransport: setting(
    'FEP_IDS_TRANSPORT',
    oneOf(...TRANSPORTS),
    'form',
    "transport of outbound IDS messages: `form` (multipart/form-data, TRUE's default), `mixed` or `http-header`",
  ),
  peerTransports: setting(
    'FEP_PEER_TRANSPORTS',
    peerTransports,
    {},
    'per-peer transport, `https://peer:8889/data=mixed,https://other/data=http-header`',
    '(none)',
  ),
  resolve: setting(
    'FEP_RESOLVE',
    hostAliases,
    {},
    'host=address pairs for outbound connections, like curl --resolve, for peers without DNS: `ecc-provider=127.0.0.1`',
    '(none)',
  ),
});
export type IdsSettings = SettingsOf<typeof idsSettings>;
