import { z } from 'zod';
import { EmbedLink, type EmbedInput } from '@/lib/schemas';
import { apiRequest } from './api';

const embedsPath = '/api/v1/embeds';

/** The body of POST /api/v1/embeds as the dialog sends it (defaults filled in by the API). */
export type EmbedInputDraft = z.input<typeof EmbedInput>;

export const embedKeys = {
  all: ['embeds'] as const,
  service: (service: string) => [...embedKeys.all, service] as const,
  // null: every link of the service (the service page), an SLO slug: that SLO's links only.
  list: (service: string, slo: string | null) => [...embedKeys.service(service), slo] as const,
};

const EmbedList = z.object({ embeds: z.array(EmbedLink) });

export function listEmbeds(service: string, slo: string | null, signal?: AbortSignal): Promise<EmbedLink[]> {
  const query = new URLSearchParams({ service });
  if (slo !== null) query.set('slo', slo);
  return apiRequest(`${embedsPath}?${query.toString()}`, EmbedList, { signal }).then((body) => body.embeds);
}

/** 201 with the signed token and its absolute URLs. */
export const createEmbed = (input: EmbedInputDraft) => apiRequest(embedsPath, EmbedLink, { method: 'POST', body: input });

/** Revoked, not deleted: the link stays listed as revoked and its URLs answer 404. */
export const revokeEmbed = (id: string) => apiRequest(`${embedsPath}/${encodeURIComponent(id)}`, EmbedLink, { method: 'DELETE' });
