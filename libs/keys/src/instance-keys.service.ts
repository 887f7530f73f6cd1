import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { SigningKeyEntity } from '@erp-id/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { Jwk } from './jwk';
import { SecretBox, SecretBoxError } from './secret-box';
import { cookieKeysAad, signingKeyAad } from './sealing-contexts';
import { isSigningAlgorithm, type SigningAlgorithm } from './signing-algorithms';
import { SigningKeyPool } from './signing-key-pool';
import { compareForSigning } from './signing-order';

/** What an issuer build needs: private JWKs in signing order, the key that signs, and the cookie keys. */
export interface IssuerKeyMaterial {
  /** Active key first (see `compareForSigning`); next and retired keys are published, never sign. */
  jwks: { keys: Jwk[] };
  /** The active key: everything the issuer signs uses its algorithm and kid. */
  signingKey: { kid: string; alg: SigningAlgorithm };
  cookieKeys: string[];
}

/** A freshly generated key with its private half sealed for its instance, ready to store in any state. */
export interface SealedSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: Jwk;
  sealedPrivateJwk: string;
}

export class NoActiveSigningKey extends Error {
  override readonly name = 'NoActiveSigningKey';
}

/**
 * Key material of an instance that the configured key-encryption keys cannot open. The message names
 * the value and the key id it was sealed under, never key material.
 */
export class UnreadableKeyMaterial extends Error {
  override readonly name = 'UnreadableKeyMaterial';
}

/** Creates, encrypts and decrypts an instance's signing and cookie keys. */
@Injectable()
export class InstanceKeysService {
  constructor(
    private readonly box: SecretBox,
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly pool: SigningKeyPool,
  ) {}

  /** Fresh cookie keys, sealed for the instance row. */
  sealNewCookieKeys(instanceId: string): string {
    const keys = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
    return this.box.seal(JSON.stringify(keys), cookieKeysAad(instanceId));
  }

  /** Generates a key pair (off the event loop) and seals its private half, bound to instance and kid. */
  async generateSealed(instanceId: string, alg: SigningAlgorithm): Promise<SealedSigningKey> {
    const key = await this.pool.take(alg);
    return {
      kid: key.kid,
      alg: key.alg,
      publicJwk: key.publicJwk,
      sealedPrivateJwk: this.box.seal(JSON.stringify(key.privateJwk), signingKeyAad(instanceId, key.kid)),
    };
  }

  /**
   * Stores the instance's first signing key, active, inside the caller's transaction. The key is
   * made beforehand (generateSealed), so the transaction never waits for key generation.
   */
  async storeActiveSigningKey(
    manager: EntityManager,
    instanceId: string,
    key: SealedSigningKey,
  ): Promise<SigningKeyEntity> {
    const repo = manager.getRepository(SigningKeyEntity);
    return repo.save(
      repo.create({
        instanceId,
        kid: key.kid,
        alg: key.alg,
        state: 'active',
        publicJwk: key.publicJwk,
        privateJwk: key.sealedPrivateJwk,
        activatedAt: new Date(),
        retiredAt: null,
      }),
    );
  }

  async loadIssuerKeys(instanceId: string, sealedCookieKeys: string): Promise<IssuerKeyMaterial> {
    const rows = await this.dataSource.getRepository(SigningKeyEntity).find({ where: { instanceId } });
    rows.sort(compareForSigning);
    const active = rows[0];
    if (active?.state !== 'active' || !isSigningAlgorithm(active.alg)) {
      throw new NoActiveSigningKey(`instance ${instanceId} has no usable active signing key`);
    }
    const keys = rows.map(
      (row) =>
        JSON.parse(
          this.open(`signing key ${row.kid}`, row.privateJwk, signingKeyAad(instanceId, row.kid)),
        ) as Jwk,
    );
    const cookieKeys = JSON.parse(
      this.open('cookie keys', sealedCookieKeys, cookieKeysAad(instanceId)),
    ) as string[];
    return { jwks: { keys }, signingKey: { kid: active.kid, alg: active.alg }, cookieKeys };
  }

  private open(what: string, envelope: string, context: string): string {
    try {
      return this.box.open(envelope, context);
    } catch (err) {
      if (err instanceof SecretBoxError) throw new UnreadableKeyMaterial(`${what}: ${err.message}`);
      throw err;
    }
  }

  /** The published (public) JWKS of an instance, in signing order. */
  async publicJwks(instanceId: string): Promise<Jwk[]> {
    const rows = await this.dataSource.getRepository(SigningKeyEntity).find({ where: { instanceId } });
    return rows.sort(compareForSigning).map((row) => row.publicJwk as Jwk);
  }
}
