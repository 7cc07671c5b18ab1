import { hostname } from 'node:os';
import { iri, oneOf, text } from '../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../config/setting.js';
import { SECURITY_PROFILES } from './infomodel/vocabulary.js';

/** Who this connector is in the data space: its IRI and the facts of its self-description. */
export const connectorSettings = defineArea('connector', {
  id: setting(
    'FEP_CONNECTOR_ID',
    iri,
    ({ read }) => `${read<string>('FEP_PUBLIC_URL')}/`,
    "the connector's IRI (`@id` of the self-description, `ids:issuerConnector` of its messages)",
    '`$FEP_PUBLIC_URL/`',
  ),
  title: setting('FEP_TITLE', text, `fep-connector on ${hostname()}`, '`ids:title` of the self-description', 'fep-connector on <hostname>'),
  description: setting('FEP_DESCRIPTION', text, 'IDS connector for an edge node', '`ids:description` of the self-description'),
  curator: setting(
    'FEP_CURATOR',
    iri,
    ({ read }) => read<string>('FEP_CONNECTOR_ID'),
    'IRI of the participant curating this connector (`ids:curator`)',
    '`$FEP_CONNECTOR_ID`',
  ),
  maintainer: setting(
    'FEP_MAINTAINER',
    iri,
    ({ read }) => read<string>('FEP_CONNECTOR_ID'),
    'IRI of the participant maintaining this connector (`ids:maintainer`)',
    '`$FEP_CONNECTOR_ID`',
  ),
  securityProfile: setting(
    'FEP_SECURITY_PROFILE',
    oneOf(...SECURITY_PROFILES),
    'BASE_SECURITY_PROFILE',
    '`ids:securityProfile` claimed in the self-description',
  ),
});
export type ConnectorSettings = SettingsOf<typeof connectorSettings>;
