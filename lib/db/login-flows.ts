import { db } from './client';
import type { LoginFlow } from './generated/client';

export async function insertLoginFlow(
  columns: Pick<LoginFlow, 'stateHash' | 'nonce' | 'codeVerifier' | 'returnTo' | 'createdAt' | 'expiresAt'>,
): Promise<void> {
  await db().loginFlow.create({ data: columns });
}

/** The sign-in with this state hash, deleted as it is read: of two callers at once, only one gets it. */
export async function takeLoginFlow(stateHash: string): Promise<LoginFlow | null> {
  const flow = await db().loginFlow.findUnique({ where: { stateHash } });
  const { count } = flow ? await db().loginFlow.deleteMany({ where: { id: flow.id } }) : { count: 0 };
  return flow && count > 0 ? flow : null;
}

export async function deleteExpiredLoginFlows(now: Date): Promise<void> {
  await db().loginFlow.deleteMany({ where: { expiresAt: { lt: now } } });
}
