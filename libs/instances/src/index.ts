export { InstancesModule } from './instances.module';
export { InstancesService, InstanceConflict, InstanceNameRejected } from './instances.service';
export type { CreateInstanceInput } from './instances.service';
export { toInstanceView } from './instance-view';
export type { InstanceView } from './instance-view';
