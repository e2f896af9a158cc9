import { renderPanelSvg } from '@/lib/embed/render-panel';
import { embedFailure, embedHeaders, embedNotFound, embedOrigin, parseView } from '@/lib/http/embed-response';
import { embedPanelData, resolveEmbed } from '@/lib/use-cases/embeds/embeds';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** The panel as an SVG image, for places that take an image URL but no iframe. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await params;
  const view = parseView(request);
  if (!view.ok) return view.response;
  try {
    const embed = await resolveEmbed(token);
    if (!embed) return embedNotFound();
    const { origin, cacheControl } = embedOrigin(request);
    const svg = renderPanelSvg(await embedPanelData(embed, view.view, origin), view.view);
    return new Response(svg, { headers: embedHeaders('image/svg+xml; charset=utf-8', cacheControl) });
  } catch (error) {
    return embedFailure(error, token);
  }
}
