export { MfaModule } from './mfa.module';
export { FactorsService } from './factors.service';
export type { EnrollmentResult, FactorInstance, SecondFactorCheck } from './factors.service';
export type { FactorResetSource } from './mfa-events';
export {
  ACR_MFA,
  ACR_PASSWORD,
  ACR_VALUES,
  AMR_PASSWORD,
  AMR_PASSWORD_AND_OTP,
  secondFactorRequested,
} from './authentication-context';
export { policyRequiresSecondFactor } from './mfa-requirement';
export { newTotpSecret, totpUri, totpCodeAt, matchTotp, TOTP_WINDOW_STEPS } from './totp';
export type { TotpMatch } from './totp';
export { RECOVERY_CODE_COUNT, normalizeRecoveryCode } from './recovery-codes';
