import type { ChainableCommander } from 'ioredis';

/**
 * ioredis resolves EXEC with one `[error, result]` pair per command instead of rejecting;
 * surface the first failure so a half-applied write is never reported as success.
 */
export async function execTransaction(multi: ChainableCommander): Promise<unknown[]> {
  const replies = await multi.exec();
  if (replies === null) throw new Error('Redis transaction aborted');
  return replies.map(([error, result]) => {
    if (error) throw error;
    return result;
  });
}
