import { Module } from '@nestjs/common';
import { KeyRotationJob } from './key-rotation.job';

/**
 * The automatic key rotation, for the gateway only (the CLI shares KeysModule but must not run a
 * schedule). Every replica runs it; an advisory lock lets one of them do each run.
 */
@Module({ providers: [KeyRotationJob], exports: [KeyRotationJob] })
export class KeyRotationModule {}
