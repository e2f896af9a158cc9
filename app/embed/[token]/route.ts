import { renderPanelSvg } from '@/lib/embed/render-panel';
import { renderEmbedPage } from '@/lib/embed/render-page';
import { embedFailure, embedHeaders, embedNotFound, embedOrigin, parseView } from '@/lib/http/embed-response';
import { embedPanelData, resolveEmbed } from '@/lib/use-cases/embeds/embeds';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** The iframe page of an embed link: rendered on the server, no script, framable from anywhere allowed. */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await params;
  const view = parseView(request);
  if (!view.ok) return view.response;
  try {
    const embed = await resolveEmbed(token);
    if (!embed) return embedNotFound();
    const { origin, cacheControl } = embedOrigin(request);
    const data = await embedPanelData(embed, view.view, origin);
    const svg = renderPanelSvg(data, view.view);
    const title = data.kind === 'service' ? `${data.serviceName}: SLOs` : `${data.serviceName} ${data.sloName}`;
    return new Response(renderEmbedPage({ title, svg, theme: view.view.theme }), { headers: embedHeaders('text/html; charset=utf-8', cacheControl) });
  } catch (error) {
    return embedFailure(error, token);
  }
}
