import { renderBadgeSvg } from '@/lib/embed/render-badge';
import { embedFailure, embedHeaders, embedNotFound } from '@/lib/http/embed-response';
import { embedBadgeData, resolveEmbed } from '@/lib/use-cases/embeds/embeds';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** The compact badge of an SLO embed: "checkout availability 99.93% | budget 41% left". */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await params;
  try {
    const embed = await resolveEmbed(token);
    const data = embed ? await embedBadgeData(embed) : null;
    if (!data) return embedNotFound();
    return new Response(renderBadgeSvg(data), { headers: embedHeaders('image/svg+xml; charset=utf-8') });
  } catch (error) {
    return embedFailure(error, token);
  }
}
