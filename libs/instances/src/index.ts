export { InstancesModule } from './instances.module';
export { InstancesService } from './instances.service';
export type { InstancePage } from './instances.service';
export {
  CustomDomainConflict,
  InstanceConflict,
  InstanceInputRejected,
  InstanceNameRejected,
  InstancePolicyRejected,
} from './instance-errors';
export type { CreateInstanceInput, InstanceListQuery, InstancePatch } from './instance-input';
export { MAX_CUSTOM_DOMAINS } from './domain-input';
export { toInstanceView } from './instance-view';
export type { InstanceView } from './instance-view';
