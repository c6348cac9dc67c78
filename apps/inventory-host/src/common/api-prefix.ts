/** Every admin route lives under this prefix (`/health` and `/metrics` do not). */
export const API_PREFIX = 'api/v1';
