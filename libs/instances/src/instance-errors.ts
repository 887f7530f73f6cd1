import type { PolicyProblem } from '@erp-id/policies';

/** The name is not a DNS label, or is reserved. */
export class InstanceNameRejected extends Error {
  override readonly name = 'InstanceNameRejected';
}

/** An instance of that name exists already. */
export class InstanceConflict extends Error {
  override readonly name = 'InstanceConflict';
}

/** A value the request's shape allowed but the instance cannot take (`field` names it). */
export class InstanceInputRejected extends Error {
  override readonly name = 'InstanceInputRejected';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A custom domain already serves another instance. */
export class CustomDomainConflict extends Error {
  override readonly name = 'CustomDomainConflict';
  constructor(
    readonly domain: string,
    owner: string | null,
  ) {
    super(
      owner
        ? `custom domain ${domain} already belongs to instance ${owner}`
        : `custom domain ${domain} already belongs to another instance`,
    );
  }
}

/** The policies would not validate; each problem names its field within the policy document. */
export class InstancePolicyRejected extends Error {
  override readonly name = 'InstancePolicyRejected';
  constructor(readonly problems: readonly PolicyProblem[]) {
    super(`invalid policies: ${problems.map((p) => p.field || '(document)').join(', ')}`);
  }
}
