import { db } from './client';
import type { GateCheck as GateCheckRow, GateOverride as GateOverrideRow, Prisma } from './generated/client';

/** A stored gate answer with the override that let it through, if one did. */
export type GateCheckWithOverride = GateCheckRow & { override: GateOverrideRow | null };

export interface NewGateCheck {
  serviceId: string;
  version: string;
  environment: string;
  commit: string | null;
  pipelineUrl: string | null;
  verdict: string;
  policyVerdict: string;
  /** Stored as JSON as given. */
  reasons: unknown;
  slos: unknown;
  policy: unknown;
  dataState: string;
  asOf: Date | null;
  overrideId: string | null;
  evaluatedAt: Date;
}

export function insertGateCheck(check: NewGateCheck): Promise<GateCheckWithOverride> {
  const { reasons, slos, policy, ...columns } = check;
  return db().gateCheck.create({
    data: { ...columns, reasons: reasons as Prisma.InputJsonValue, slos: slos as Prisma.InputJsonValue, policy: policy as Prisma.InputJsonValue },
    include: { override: true },
  });
}

/** The service's latest gate answers, newest first. */
export function listGateChecks(serviceId: string, limit: number): Promise<GateCheckWithOverride[]> {
  return db().gateCheck.findMany({ where: { serviceId }, orderBy: { evaluatedAt: 'desc' }, take: limit, include: { override: true } });
}
