export { ObservabilityModule } from './observability.module';
export { ShutdownState } from './lifecycle/shutdown-state';
export { RequestObserver } from './http/request-observer';
export type { ListenerOf, RequestMiddleware } from './http/request-observer';
export type { ListenerName } from './http/route-label';
export { recordSignIn } from './metrics/gateway-metrics';
export type { SignInOutcome } from './metrics/gateway-metrics';
// Nest's logger backed by pino: the gateway installs it with `app.useLogger(app.get(StructuredLogger))`.
export { Logger as StructuredLogger } from 'nestjs-pino';
