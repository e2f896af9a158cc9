import { svgToPng } from '@/lib/embed/png';
import { renderPanelSvg } from '@/lib/embed/render-panel';
import { embedFailure, embedHeaders, embedNotFound, embedOrigin, parseView } from '@/lib/http/embed-response';
import { embedPanelData, resolveEmbed } from '@/lib/use-cases/embeds/embeds';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** The panel as a PNG image (auto theme renders light: PNG has no colour-scheme media query). */
export async function GET(request: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  const { token } = await params;
  const view = parseView(request);
  if (!view.ok) return view.response;
  try {
    const embed = await resolveEmbed(token);
    if (!embed) return embedNotFound();
    const { origin, cacheControl } = embedOrigin(request);
    const options = { ...view.view, theme: view.view.theme === 'auto' ? ('light' as const) : view.view.theme };
    const svg = renderPanelSvg(await embedPanelData(embed, options, origin), options);
    const png = await svgToPng(svg, options.width);
    return new Response(new Uint8Array(png), { headers: embedHeaders('image/png', cacheControl) });
  } catch (error) {
    return embedFailure(error, token);
  }
}
