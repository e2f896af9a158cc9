import { renderPanelSvg } from '@/lib/embed/render-panel';
import { embedFailure, embedHeaders, embedNotFound, parseView } from '@/lib/http/embed-response';
import { publicOrigin } from '@/lib/http/origin';
import { embedPanelData, resolveEmbed } from '@/lib/use-cases/embeds';

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
    const svg = renderPanelSvg(await embedPanelData(embed, view.view, publicOrigin(request)), view.view);
    return new Response(svg, { headers: embedHeaders('image/svg+xml; charset=utf-8') });
  } catch (error) {
    return embedFailure(error, token);
  }
}
