import { randomUUID } from 'node:crypto';

/** New element identity: a UUID for the admin API and an IRI in the Java library's autogen scheme. */
export function newIdentity(kind: string): { id: string; iri: string } {
  const id = randomUUID();
  return { id, iri: autogenIri(kind, id) };
}

export function autogenIri(kind: string, uuid: string = randomUUID()): string {
  return `https://w3id.org/idsa/autogen/${kind}/${uuid}`;
}
