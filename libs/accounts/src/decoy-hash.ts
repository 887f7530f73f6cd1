/**
 * An argon2id hash of a random secret nobody knows, made with the parameters of `hashSecret`.
 * Sign-in verifies a password against it when there is no user to verify against, so an unknown
 * or disabled username costs the same time as a wrong password and does not reveal itself.
 * A unit test keeps its parameters equal to those `hashSecret` uses.
 */
export const DECOY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$L50xHBwrFa3lUYjXEn7x3A$CFYngD0BntLC4XYYMTorqIGfzZ3qFpcYQrvVa62j5/s';
