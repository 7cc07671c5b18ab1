/** Injection token of the loaded ConnectorIdentity (key + certificate), made before Nest starts. */
export const CONNECTOR_IDENTITY = Symbol('CONNECTOR_IDENTITY');
