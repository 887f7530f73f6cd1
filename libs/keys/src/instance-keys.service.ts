import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { SigningKeyEntity } from '@erp-id/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { Jwk } from './jwk';
import { SecretBox } from './secret-box';
import type { SigningAlgorithm } from './signing-algorithms';
import { generateSigningKey } from './signing-key-generator';

/** What an issuer build needs: private JWKs in signing order, and the cookie keys. */
export interface IssuerKeyMaterial {
  jwks: { keys: Jwk[] };
  cookieKeys: string[];
}

const STATE_ORDER: Record<SigningKeyEntity['state'], number> = { active: 0, next: 1, retired: 2 };

const signingKeyAad = (instanceId: string, kid: string): string => `signing-key:${instanceId}:${kid}`;
const cookieKeysAad = (instanceId: string): string => `cookie-keys:${instanceId}`;

/** Creates, encrypts and decrypts an instance's signing and cookie keys. */
@Injectable()
export class InstanceKeysService {
  constructor(
    private readonly box: SecretBox,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  /** Fresh cookie keys, sealed for the instance row. */
  sealNewCookieKeys(instanceId: string): string {
    const keys = [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
    return this.box.seal(JSON.stringify(keys), cookieKeysAad(instanceId));
  }

  /** Generates the instance's first signing key and stores it active, inside the caller's transaction. */
  async createActiveSigningKey(
    manager: EntityManager,
    instanceId: string,
    alg: SigningAlgorithm = 'RS256',
  ): Promise<SigningKeyEntity> {
    const key = await generateSigningKey(alg);
    const repo = manager.getRepository(SigningKeyEntity);
    return repo.save(
      repo.create({
        instanceId,
        kid: key.kid,
        alg: key.alg,
        state: 'active',
        publicJwk: key.publicJwk,
        privateJwk: this.box.seal(JSON.stringify(key.privateJwk), signingKeyAad(instanceId, key.kid)),
        activatedAt: new Date(),
        retiredAt: null,
      }),
    );
  }

  async loadIssuerKeys(instanceId: string, sealedCookieKeys: string): Promise<IssuerKeyMaterial> {
    const rows = await this.dataSource.getRepository(SigningKeyEntity).find({ where: { instanceId } });
    rows.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || +b.createdAt - +a.createdAt);
    const keys = rows.map(
      (row) => JSON.parse(this.box.open(row.privateJwk, signingKeyAad(instanceId, row.kid))) as Jwk,
    );
    const cookieKeys = JSON.parse(this.box.open(sealedCookieKeys, cookieKeysAad(instanceId))) as string[];
    return { jwks: { keys }, cookieKeys };
  }

  /** The published (public) JWKS of an instance, for tests and the admin API. */
  async publicJwks(instanceId: string): Promise<Jwk[]> {
    const rows = await this.dataSource.getRepository(SigningKeyEntity).find({ where: { instanceId } });
    return rows.map((row) => row.publicJwk as Jwk);
  }
}
