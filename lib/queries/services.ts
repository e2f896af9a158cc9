import { Service, Slo, type ServiceInput, type ServicePatch, type SloInput, type SloPatch } from '@/lib/schemas';
import { apiRequest } from './api';

/** Writes go through the HTTP API, the same path as every other client; the UI holds no write shortcut. */
const servicesPath = '/api/v1/services';
const servicePath = (service: string) => `${servicesPath}/${encodeURIComponent(service)}`;
const slosPath = (service: string) => `${servicePath(service)}/slos`;
const sloPath = (service: string, slo: string) => `${slosPath(service)}/${encodeURIComponent(slo)}`;

export const createService = (input: ServiceInput) => apiRequest(servicesPath, Service, { method: 'POST', body: input });

export const updateService = (service: string, patch: ServicePatch) => apiRequest(servicePath(service), Service, { method: 'PATCH', body: patch });

export const deleteService = (service: string) => apiRequest(servicePath(service), null, { method: 'DELETE' });

export const createSlo = (service: string, input: SloInput) => apiRequest(slosPath(service), Slo, { method: 'POST', body: input });

export const updateSlo = (service: string, slo: string, patch: SloPatch) => apiRequest(sloPath(service, slo), Slo, { method: 'PATCH', body: patch });

export const deleteSlo = (service: string, slo: string) => apiRequest(sloPath(service, slo), null, { method: 'DELETE' });

/** 202: the history backfill starts again in the background; the status shows its progress. */
export const rerunBackfill = (service: string, slo: string) => apiRequest(`${sloPath(service, slo)}/backfill`, null, { method: 'POST' });
