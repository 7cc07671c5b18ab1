/**
 * Extension point: where an artifact's bytes come from. One source per kind (`upload`, `file`, `http`,
 * `data-app`, ...), found by the `@ArtifactSourceKind(kind)` decorator and indexed by ArtifactSourceRegistry,
 * which fails at boot on a duplicate kind or on a stored artifact whose kind no source handles. Adding a kind is
 * its own file (or folder) and one line in a module's providers.
 */
import { DiscoveryService } from '@nestjs/core';
import type { Readable } from 'node:stream';
import type { ArtifactEntity } from '../entities/artifact.entity.js';

export interface ArtifactData {
  stream: Readable;
  /** The same bytes whole, when the source holds them in memory (small uploads): sent without a stream. */
  bytes?: Buffer;
  /** Byte length when known (TRUE's multipart reader wants a Content-Length per part). */
  size?: number;
  mediaType?: string;
}

/** What registering an artifact of this kind settles: its location as stored, and its size and hash if known. */
export interface RegisteredSource {
  location: string | null;
  byteSize: number | null;
  checksum: string | null;
}

export interface ArtifactSource {
  /** Checks a new artifact's location (a 400 naming `sourceLocation` when wrong) and describes it. */
  register(location: string | null): Promise<RegisteredSource>;
  /**
   * Opens the bytes, or fails before anything is claimed: the artifact request path opens first and spends the
   * consumer's use only when this succeeded.
   */
  open(artifact: ArtifactEntity): Promise<ArtifactData>;
}

/** `@ArtifactSourceKind('http')` on a provider class implementing ArtifactSource. */
export const ArtifactSourceKind = DiscoveryService.createDecorator<string>();
