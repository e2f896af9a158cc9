import { errorResponse } from '@/lib/http/route';

/** Unknown API paths answer in the API's own error shape, not with the HTML 404 page. */
function notFound(request: Request): Response {
  return errorResponse(404, 'not_found', `No API endpoint at ${new URL(request.url).pathname}`);
}

export const GET = notFound;
export const POST = notFound;
export const PATCH = notFound;
export const PUT = notFound;
export const DELETE = notFound;
