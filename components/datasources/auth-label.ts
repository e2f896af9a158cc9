import type { DataSource } from '@/lib/schemas';

export const AUTH_LABEL: Record<DataSource['auth']['kind'], string> = { none: 'None', bearer: 'Bearer token', basic: 'Basic auth', headers: 'Custom headers' };
